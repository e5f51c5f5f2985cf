//! Single documents for the micro-benchmarks of the reader, the printer and strategic merge,
//! cut from the same cloth as the generated tree.

use crate::crd::{write_crd, CrdNames};
use crate::text::Rng;
use crate::tree::deployment_yaml;

/// One large CRD file (three versions of a ~150 KB schema, about 450 KB), like Kubeflow's
/// biggest CRDs.
pub fn large_crd(seed: u64) -> String {
    let mut rng = Rng::derive(seed, 1_000_001);
    let names = CrdNames {
        group: "bench.example.io".into(),
        kind: "BenchPipeline".into(),
        plural: "benchpipelines".into(),
    };
    write_crd(&mut rng, &names, 3, 150_000)
}

/// A stream of `count` controller Deployments, each followed by its Service, separated by
/// `---` lines: a typical multi-document manifest file.
pub fn deployment_stream(count: usize, seed: u64) -> String {
    let mut rng = Rng::derive(seed, 1_000_002);
    let mut out = String::new();
    for i in 0..count {
        let name = format!("app{i}");
        out.push_str("---\n");
        out.push_str(&deployment_yaml(
            &mut rng,
            &name,
            &name.to_ascii_uppercase(),
        ));
        out.push_str("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: service\nspec:\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n  selector:\n    control-plane: controller-manager\n");
    }
    out
}

/// A Deployment and a strategic-merge patch for it that merges containers by name, adds and
/// replaces env entries, adds volumes and mounts, and deletes the sidecar: the shapes
/// kustomize's patches have. `extra_env` lengthens both env lists, to show how list merges
/// grow with the list's length.
pub fn smp_pair(seed: u64, extra_env: usize) -> (String, String) {
    let mut rng = Rng::derive(seed, 1_000_003);
    let mut target = deployment_yaml(&mut rng, "bench", "BENCH");
    let mut patch = String::from("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller-manager\n  labels:\n    app.kubernetes.io/part-of: kubeflow\nspec:\n  replicas: 3\n  template:\n    metadata:\n      annotations:\n        sidecar.istio.io/inject: \"true\"\n    spec:\n      containers:\n      - name: manager\n        env:\n        - name: POD_NAMESPACE\n          value: kubeflow\n");
    let mut extra = String::new();
    for i in 0..extra_env {
        extra.push_str(&format!(
            "        - name: EXTRA_{i}\n          value: \"{i}\"\n"
        ));
        if i % 2 == 0 {
            patch.push_str(&format!(
                "        - name: EXTRA_{i}\n          value: patched\n"
            ));
        }
    }
    for i in 0..extra_env / 2 {
        patch.push_str(&format!(
            "        - name: ADDED_{i}\n          value: \"{i}\"\n"
        ));
    }
    // Put the extra env entries into the target's manager container, right after its env key.
    target = target.replacen("        env:\n", &format!("        env:\n{extra}"), 1);
    patch.push_str("        volumeMounts:\n        - mountPath: /var/run/secrets/tokens\n          name: token\n        resources:\n          limits:\n            memory: 1Gi\n      - name: kube-rbac-proxy\n        $patch: delete\n      volumes:\n      - name: token\n        projected:\n          sources:\n          - serviceAccountToken:\n              path: token\n              expirationSeconds: 7200\n              audience: istio-ca\n");
    (target, patch)
}
