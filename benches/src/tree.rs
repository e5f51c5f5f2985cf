//! A deterministic kustomization tree shaped like Kubeflow's `example`.
//!
//! `example/` includes one overlay per application plus shared namespaces; each application is
//! a kubebuilder-style layout (`crd/`, `rbac/`, `manager/`, `webhook/`, sometimes `db/` and
//! `web/`) under a `base/` with `namespace`, `namePrefix`, labels and vars, a `metrics/` that
//! re-uses the shared `common/metrics` base under its own prefix, and an `overlays/kubeflow/`
//! with images, generators (merged and new), strategic-merge and JSON patches, replacements,
//! replicas and a component. `scale` multiplies the number of applications; every application
//! is generated from its own stream of the seed, so scale 10 holds scale 1's applications plus
//! nine times as many more, with files of the same sizes.

use crate::crd::{write_crd, CrdNames};
use crate::text::{capitalize, description, hex, sentence, Rng, APP_NAMES, KIND_NOUNS, WORDS};
use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Applications per unit of scale: about 600 resources and 10 MB of YAML at scale 1, the
/// size of Kubeflow's `example`.
pub const APPS_PER_SCALE: usize = 18;

/// Namespaces the applications are spread over (constant: they do not grow with scale).
const TEAMS: usize = 6;

/// The seed the benchmarks and the README's commands use.
pub const DEFAULT_SEED: u64 = 0x6b62_7569_6c64;

/// The directory, relative to the tree's root, to build.
pub const ENTRY: &str = "example";

/// A generated tree: files (path relative to the root, contents), in creation order.
#[derive(Clone, Debug)]
pub struct Tree {
    files: Vec<(String, String)>,
}

impl Tree {
    /// Generates the tree for `scale` (≥ 1): `scale` × [`APPS_PER_SCALE`] applications.
    pub fn generate(scale: usize, seed: u64) -> Tree {
        Tree::with_apps(scale.max(1) * APPS_PER_SCALE, seed)
    }

    /// Generates a tree of `apps` applications (the first `apps` of any larger tree).
    pub fn with_apps(apps: usize, seed: u64) -> Tree {
        let mut files = Vec::new();
        let apps: Vec<App> = (0..apps).map(|i| App::new(i, seed)).collect();
        root(&mut files, &apps);
        common(&mut files);
        for app in &apps {
            app.write(&mut files);
        }
        Tree { files }
    }

    /// The files, as (path relative to the root, contents).
    pub fn files(&self) -> &[(String, String)] {
        &self.files
    }

    /// Total size of the files in bytes.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|(_, c)| c.len()).sum()
    }

    /// Writes the files below `dir`, creating directories as needed.
    pub fn write_to(&self, dir: &Path) -> io::Result<()> {
        for (path, contents) in &self.files {
            let p = dir.join(path);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(p, contents)?;
        }
        Ok(())
    }
}

fn add(files: &mut Vec<(String, String)>, path: String, contents: String) {
    files.push((path, contents));
}

/// `example/kustomization.yaml`: every application's overlay, kubeflow's sort options.
fn root(files: &mut Vec<(String, String)>, apps: &[App]) {
    let mut k = String::from(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n\nsortOptions:\n  order: legacy\n  legacySortOptions:\n    orderFirst:\n",
    );
    for kind in [
        "Namespace",
        "ResourceQuota",
        "StorageClass",
        "CustomResourceDefinition",
        "MutatingWebhookConfiguration",
        "ServiceAccount",
        "NetworkPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Service",
        "PersistentVolumeClaim",
        "Deployment",
        "StatefulSet",
        "PodDisruptionBudget",
    ] {
        let _ = writeln!(k, "    - {kind}");
    }
    k.push_str("    orderLast:\n    - ValidatingWebhookConfiguration\n\nresources:\n");
    k.push_str("# Namespaces shared by the applications\n- ../common/namespaces\n");
    for app in apps {
        let _ = writeln!(
            k,
            "# {}\n- ../apps/{}/overlays/kubeflow",
            capitalize(&app.name),
            app.name
        );
    }
    add(files, format!("{ENTRY}/kustomization.yaml"), k);
}

/// The shared bases: namespaces, metrics (included by every application under its own
/// prefix), and the sidecar component.
fn common(files: &mut Vec<(String, String)>) {
    let mut ns = String::new();
    for t in std::iter::once("kubeflow".to_string()).chain((0..TEAMS).map(team)) {
        let _ = write!(
            ns,
            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {t}\n  labels:\n    app.kubernetes.io/part-of: kubeflow-profile\n    istio-injection: enabled\n    pod-security.kubernetes.io/enforce: baseline\n"
        );
    }
    add(files, "common/namespaces/namespaces.yaml".into(), ns);
    add(
        files,
        "common/namespaces/kustomization.yaml".into(),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- namespaces.yaml\n".into(),
    );

    add(
        files,
        "common/metrics/kustomization.yaml".into(),
        r#"apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- rbac.yaml
- network-policy.yaml
configMapGenerator:
- name: scrape-config
  files:
  - prometheus.yml
  options:
    labels:
      app.kubernetes.io/component: metrics
"#
        .into(),
    );
    add(
        files,
        "common/metrics/rbac.yaml".into(),
        r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
- nonResourceURLs:
  - /metrics
  verbs:
  - get
- apiGroups:
  - ""
  resources:
  - services
  - endpoints
  - pods
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: reader
subjects:
- kind: ServiceAccount
  name: reader
  namespace: kubeflow
"#
        .into(),
    );
    add(
        files,
        "common/metrics/network-policy.yaml".into(),
        r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-scrape
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/component: controller
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: monitoring
    ports:
    - port: 8443
      protocol: TCP
  policyTypes:
  - Ingress
"#
        .into(),
    );
    add(
        files,
        "common/metrics/prometheus.yml".into(),
        r#"global:
  scrape_interval: 30s
  evaluation_interval: 30s
scrape_configs:
- job_name: kubernetes-pods
  kubernetes_sd_configs:
  - role: pod
  relabel_configs:
  - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
    action: keep
    regex: true
  - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
    action: replace
    regex: ([^:]+)(?::\d+)?;(\d+)
    replacement: $1:$2
    target_label: __address__
"#
        .into(),
    );

    add(
        files,
        "common/components/sidecar/kustomization.yaml".into(),
        r#"apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
- target:
    kind: Deployment
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: any
    spec:
      template:
        metadata:
          annotations:
            sidecar.istio.io/inject: "true"
            proxy.istio.io/config: '{ "holdApplicationUntilProxyStarts": true }'
"#
        .into(),
    );
}

fn team(t: usize) -> String {
    format!("team-{t}")
}

/// One application and the choices the seed made for it.
struct App {
    name: String,
    /// Prefix of its var names (`ATLAS0`).
    var: String,
    namespace: String,
    crds: Vec<(CrdNames, usize, usize)>,
    has_db: bool,
    has_web: bool,
    has_hpa: bool,
    uses_component: bool,
    deprecated_fields: bool,
    drop_proxy: bool,
    rng: Rng,
}

impl App {
    fn new(i: usize, seed: u64) -> App {
        // The shape (which parts, how many CRDs, how large) repeats every APPS_PER_SCALE
        // applications, so scale N is N times scale 1's resources and bytes; the text (names,
        // schemas, values) is the application's own.
        let mut shape = Rng::derive(seed, (i % APPS_PER_SCALE) as u64);
        let rng = Rng::derive(!seed, i as u64);
        let name = format!("{}{}", APP_NAMES[i % APP_NAMES.len()], i / APP_NAMES.len());
        let group = format!("{name}.example.io");
        let mut crds = Vec::new();
        let mut nouns: Vec<&str> = Vec::new();
        for _ in 0..shape.range(2, 5) {
            let noun = *shape.pick(KIND_NOUNS);
            if nouns.contains(&noun) {
                continue;
            }
            nouns.push(noun);
            let kind = format!("{}{}", capitalize(&name), noun);
            let plural = format!("{}s", kind.to_ascii_lowercase());
            // Mostly moderate schemas, a few very large ones, as in Kubeflow (where a handful
            // of CRDs are several hundred kilobytes).
            let size = if shape.chance(12) {
                shape.range(150_000, 300_000)
            } else {
                shape.range(15_000, 70_000)
            };
            let versions = shape.range(1, 3);
            crds.push((
                CrdNames {
                    group: group.clone(),
                    kind,
                    plural,
                },
                versions,
                size,
            ));
        }
        App {
            var: name.to_ascii_uppercase(),
            namespace: if shape.chance(50) {
                "kubeflow".into()
            } else {
                team(i % TEAMS)
            },
            name,
            crds,
            has_db: shape.chance(35),
            has_web: shape.chance(55),
            has_hpa: shape.chance(30),
            uses_component: shape.chance(60),
            deprecated_fields: shape.chance(40),
            drop_proxy: shape.chance(20),
            rng,
        }
    }

    fn write(&self, files: &mut Vec<(String, String)>) {
        let mut rng = self.rng.clone();
        let dir = format!("apps/{}", self.name);
        self.write_crd_dir(files, &mut rng, &dir);
        self.write_rbac(files, &mut rng, &dir);
        self.write_manager(files, &mut rng, &dir);
        self.write_webhook(files, &dir);
        if self.has_db {
            self.write_db(files, &mut rng, &dir);
        }
        if self.has_web {
            self.write_web(files, &mut rng, &dir);
        }
        self.write_base(files, &dir);
        add(
            files,
            format!("{dir}/metrics/kustomization.yaml"),
            format!(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: {}-metrics-\nresources:\n- ../../../common/metrics\n",
                self.name
            ),
        );
        self.write_overlay(files, &mut rng, &dir);
    }

    fn write_crd_dir(&self, files: &mut Vec<(String, String)>, rng: &mut Rng, dir: &str) {
        let mut k = String::from(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n",
        );
        for (names, _, _) in &self.crds {
            let _ = writeln!(k, "- bases/{}_{}.yaml", names.group, names.plural);
        }
        k.push_str("patches:\n");
        for (names, versions, size) in &self.crds {
            let file = format!("{dir}/crd/bases/{}_{}.yaml", names.group, names.plural);
            add(files, file, write_crd(rng, names, *versions, *size));
            let _ = writeln!(k, "- path: patches/webhook_in_{}.yaml", names.plural);
            let _ = writeln!(k, "- path: patches/cainjection_in_{}.yaml", names.plural);
            add(
                files,
                format!("{dir}/crd/patches/webhook_in_{}.yaml", names.plural),
                format!(
                    "# The following patch enables a conversion webhook for the CRD\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: {}\nspec:\n  conversion:\n    strategy: Webhook\n    webhook:\n      clientConfig:\n        service:\n          namespace: system\n          name: webhook-service\n          path: /convert\n      conversionReviewVersions:\n      - v1\n",
                    names.crd_name()
                ),
            );
            add(
                files,
                format!("{dir}/crd/patches/cainjection_in_{}.yaml", names.plural),
                format!(
                    "# The following patch adds a directive for certmanager to inject CA into the CRD\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  annotations:\n    cert-manager.io/inject-ca-from: $({v}_CERTIFICATE_NAMESPACE)/$({v}_CERTIFICATE_NAME)\n  name: {}\n",
                    names.crd_name(),
                    v = self.var
                ),
            );
        }
        k.push_str("configurations:\n- kustomizeconfig.yaml\n");
        add(files, format!("{dir}/crd/kustomization.yaml"), k);
        add(
            files,
            format!("{dir}/crd/kustomizeconfig.yaml"),
            r#"# This file is for teaching kustomize how to substitute name and namespace reference in CRD
nameReference:
- kind: Service
  version: v1
  fieldSpecs:
  - kind: CustomResourceDefinition
    version: v1
    group: apiextensions.k8s.io
    path: spec/conversion/webhook/clientConfig/service/name

namespace:
- kind: CustomResourceDefinition
  version: v1
  group: apiextensions.k8s.io
  path: spec/conversion/webhook/clientConfig/service/namespace
  create: false

varReference:
- path: metadata/annotations
"#
            .into(),
        );
    }

    fn write_rbac(&self, files: &mut Vec<(String, String)>, rng: &mut Rng, dir: &str) {
        let mut role = String::from(
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: manager-role\nrules:\n",
        );
        let core = [
            ("\"\"", "configmaps"),
            ("\"\"", "events"),
            ("\"\"", "pods"),
            ("\"\"", "services"),
            ("\"\"", "persistentvolumeclaims"),
            ("apps", "deployments"),
            ("apps", "statefulsets"),
            ("batch", "jobs"),
            ("networking.istio.io", "virtualservices"),
        ];
        for (g, r) in core.iter().take(rng.range(4, core.len())) {
            let _ = write!(
                role,
                "- apiGroups:\n  - {g}\n  resources:\n  - {r}\n  verbs:\n  - create\n  - delete\n  - get\n  - list\n  - patch\n  - update\n  - watch\n"
            );
        }
        for (names, _, _) in &self.crds {
            for (suffix, verbs) in [
                ("", "[create, delete, get, list, patch, update, watch]"),
                ("/finalizers", "[update]"),
                ("/status", "[get, patch, update]"),
            ] {
                let _ = write!(
                    role,
                    "- apiGroups:\n  - {}\n  resources:\n  - {}{suffix}\n  verbs: {verbs}\n",
                    names.group, names.plural
                );
            }
        }
        // Aggregated user roles, as Kubeflow's controllers ship them.
        for (level, verbs) in [
            ("admin", "\"*\""),
            ("edit", "[create, delete, get, list, patch, update, watch]"),
            ("view", "[get, list, watch]"),
        ] {
            let _ = write!(
                role,
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: kubeflow-{level}\n  labels:\n    rbac.authorization.kubeflow.org/aggregate-to-kubeflow-{level}: \"true\"\n"
            );
            if level == "admin" {
                let _ = write!(
                    role,
                    "aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels:\n      rbac.authorization.kubeflow.org/aggregate-to-kubeflow-{}-admin: \"true\"\n",
                    self.name
                );
            }
            role.push_str("rules:\n- apiGroups:\n");
            let _ = writeln!(role, "  - {}", self.crds[0].0.group);
            role.push_str("  resources:\n");
            for (names, _, _) in &self.crds {
                let _ = writeln!(role, "  - {}", names.plural);
            }
            let _ = writeln!(role, "  verbs: {verbs}");
        }
        role.push_str("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: proxy-role\nrules:\n- apiGroups: [authentication.k8s.io]\n  resources: [tokenreviews]\n  verbs: [create]\n- apiGroups: [authorization.k8s.io]\n  resources: [subjectaccessreviews]\n  verbs: [create]\n");
        add(files, format!("{dir}/rbac/role.yaml"), role);

        let mut bind = String::new();
        for (name, role) in [
            ("manager-rolebinding", "manager-role"),
            ("proxy-rolebinding", "proxy-role"),
        ] {
            let _ = write!(
                bind,
                "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: {name}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: {role}\nsubjects:\n- kind: ServiceAccount\n  name: controller-manager\n  namespace: system\n"
            );
        }
        bind.push_str("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: leader-election-role\nrules:\n- apiGroups:\n  - coordination.k8s.io\n  resources:\n  - leases\n  verbs:\n  - get\n  - list\n  - watch\n  - create\n  - update\n  - patch\n  - delete\n- apiGroups:\n  - \"\"\n  resources:\n  - events\n  verbs:\n  - create\n  - patch\n");
        bind.push_str("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: leader-election-rolebinding\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: leader-election-role\nsubjects:\n- kind: ServiceAccount\n  name: controller-manager\n  namespace: system\n");
        add(files, format!("{dir}/rbac/bindings.yaml"), bind);
        add(
            files,
            format!("{dir}/rbac/service-account.yaml"),
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: controller-manager\n".into(),
        );
        add(
            files,
            format!("{dir}/rbac/auth-proxy-service.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    control-plane: controller-manager\n  name: controller-manager-metrics-service\nspec:\n  ports:\n  - name: https\n    port: 8443\n    protocol: TCP\n    targetPort: https\n  selector:\n    control-plane: controller-manager\n".into(),
        );
        add(
            files,
            format!("{dir}/rbac/kustomization.yaml"),
            "resources:\n- service-account.yaml\n- role.yaml\n- bindings.yaml\n- auth-proxy-service.yaml\n".into(),
        );
    }

    fn write_manager(&self, files: &mut Vec<(String, String)>, rng: &mut Rng, dir: &str) {
        add(
            files,
            format!("{dir}/manager/manager.yaml"),
            self.deployment(rng),
        );
        add(
            files,
            format!("{dir}/manager/service.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: service\nspec:\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n  selector:\n    control-plane: controller-manager\n".into(),
        );
        let mut params = String::new();
        let count = rng.range(3, 10);
        for key in env_names(rng, count) {
            let _ = writeln!(params, "{}={}", key, rng.pick(WORDS));
        }
        params.push_str("USE_ISTIO=false\nCLUSTER_DOMAIN=cluster.local\n");
        add(files, format!("{dir}/manager/params.env"), params);
        add(
            files,
            format!("{dir}/manager/controller_config.yaml"),
            embedded_config(rng, 40),
        );
        let mut k = String::from(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- manager.yaml\n- service.yaml\n",
        );
        if self.has_hpa {
            k.push_str("- autoscaling.yaml\n");
            add(
                files,
                format!("{dir}/manager/autoscaling.yaml"),
                "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: controller-manager\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: controller-manager\n  minReplicas: 1\n  maxReplicas: 5\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 80\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: controller-manager\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      control-plane: controller-manager\n".into(),
            );
        }
        k.push_str("configMapGenerator:\n- name: config\n  envs:\n  - params.env\n  files:\n  - controller_config.yaml\n");
        let _ = write!(
            k,
            "images:\n- name: ghcr.io/example/{n}-controller\n  newName: ghcr.io/example/{n}-controller\n  newTag: v1.{}.0\n",
            rng.range(0, 12),
            n = self.name
        );
        add(files, format!("{dir}/manager/kustomization.yaml"), k);
    }

    /// The controller's Deployment, with env, probes, resources and a proxy sidecar.
    fn deployment(&self, rng: &mut Rng) -> String {
        deployment_yaml(rng, &self.name, &self.var)
    }

    fn write_webhook(&self, files: &mut Vec<(String, String)>, dir: &str) {
        let mut m = String::new();
        for (kind, name, prefix, ops) in [
            (
                "MutatingWebhookConfiguration",
                "mutating-webhook-configuration",
                "mutate",
                "CREATE\n    - UPDATE",
            ),
            (
                "ValidatingWebhookConfiguration",
                "validating-webhook-configuration",
                "validate",
                "CREATE\n    - UPDATE\n    - DELETE",
            ),
        ] {
            let _ = write!(
                m,
                "---\napiVersion: admissionregistration.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {name}\nwebhooks:\n"
            );
            for (names, _, _) in &self.crds {
                let lower = names.kind.to_ascii_lowercase();
                let _ = write!(
                    m,
                    "- admissionReviewVersions:\n  - v1\n  clientConfig:\n    service:\n      name: webhook-service\n      namespace: system\n      path: /{prefix}-{}-v1-{lower}\n  failurePolicy: Fail\n  name: {}{lower}.{}\n  rules:\n  - apiGroups:\n    - {}\n    apiVersions:\n    - v1\n    operations:\n    - {ops}\n    resources:\n    - {}\n  sideEffects: None\n",
                    names.group.replace('.', "-"),
                    &prefix[..1],
                    names.group,
                    names.group,
                    names.plural
                );
            }
        }
        add(files, format!("{dir}/webhook/manifests.yaml"), m);
        add(
            files,
            format!("{dir}/webhook/service.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: webhook-service\n  namespace: system\nspec:\n  ports:\n  - port: 443\n    protocol: TCP\n    targetPort: 9443\n  selector:\n    control-plane: controller-manager\n".into(),
        );
        add(
            files,
            format!("{dir}/webhook/certificate.yaml"),
            format!(
                "apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: selfsigned-issuer\n  namespace: system\nspec:\n  selfSigned: {{}}\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: serving-cert\n  namespace: system\nspec:\n  dnsNames:\n  - $({v}_SERVICE_NAME).$({v}_SERVICE_NAMESPACE).svc\n  - $({v}_SERVICE_NAME).$({v}_SERVICE_NAMESPACE).svc.cluster.local\n  issuerRef:\n    kind: Issuer\n    name: selfsigned-issuer\n  secretName: webhook-server-cert\n",
                v = self.var
            ),
        );
        add(
            files,
            format!("{dir}/webhook/kustomizeconfig.yaml"),
            r#"nameReference:
- kind: Service
  version: v1
  fieldSpecs:
  - kind: MutatingWebhookConfiguration
    group: admissionregistration.k8s.io
    path: webhooks/clientConfig/service/name
  - kind: ValidatingWebhookConfiguration
    group: admissionregistration.k8s.io
    path: webhooks/clientConfig/service/name
- kind: Issuer
  group: cert-manager.io
  fieldSpecs:
  - kind: Certificate
    group: cert-manager.io
    path: spec/issuerRef/name

namespace:
- kind: MutatingWebhookConfiguration
  group: admissionregistration.k8s.io
  path: webhooks/clientConfig/service/namespace
  create: true
- kind: ValidatingWebhookConfiguration
  group: admissionregistration.k8s.io
  path: webhooks/clientConfig/service/namespace
  create: true

varReference:
- kind: Certificate
  group: cert-manager.io
  path: spec/commonName
- kind: Certificate
  group: cert-manager.io
  path: spec/dnsNames
- kind: MutatingWebhookConfiguration
  path: metadata/annotations
- kind: ValidatingWebhookConfiguration
  path: metadata/annotations
"#
            .into(),
        );
        add(
            files,
            format!("{dir}/webhook/kustomization.yaml"),
            "resources:\n- manifests.yaml\n- service.yaml\n- certificate.yaml\nconfigurations:\n- kustomizeconfig.yaml\n".into(),
        );
    }

    fn write_db(&self, files: &mut Vec<(String, String)>, rng: &mut Rng, dir: &str) {
        add(
            files,
            format!("{dir}/db/statefulset.yaml"),
            format!(
                "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/component: db\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/component: db\n    spec:\n      containers:\n      - name: mysql\n        image: mysql:8.0.{}\n        args:\n        - --datadir\n        - /var/lib/mysql\n        env:\n        - name: MYSQL_USER\n          valueFrom:\n            secretKeyRef:\n              name: db-secret\n              key: username\n        - name: MYSQL_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db-secret\n              key: password\n        - name: MYSQL_ALLOW_EMPTY_PASSWORD\n          value: \"true\"\n        ports:\n        - containerPort: 3306\n          name: mysql\n        readinessProbe:\n          exec:\n            command: [\"/bin/bash\", \"-c\", \"mysql -D $$MYSQL_DATABASE -u$$MYSQL_USER -e 'SELECT 1'\"]\n          initialDelaySeconds: 5\n          periodSeconds: 10\n        volumeMounts:\n        - mountPath: /var/lib/mysql\n          name: data\n  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes:\n      - ReadWriteOnce\n      resources:\n        requests:\n          storage: {}Gi\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  ports:\n  - port: 3306\n    name: mysql\n  selector:\n    app.kubernetes.io/component: db\n",
                rng.range(30, 40),
                rng.range(5, 50)
            ),
        );
        add(
            files,
            format!("{dir}/db/kustomization.yaml"),
            format!(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- statefulset.yaml\nsecretGenerator:\n- name: db-secret\n  literals:\n  - username={}\n  - password={}\n",
                self.name,
                hex(rng, 24)
            ),
        );
    }

    fn write_web(&self, files: &mut Vec<(String, String)>, rng: &mut Rng, dir: &str) {
        let n = &self.name;
        add(
            files,
            format!("{dir}/web/deployment.yaml"),
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-app\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/component: web-app\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/component: web-app\n    spec:\n      serviceAccountName: web-app\n      containers:\n      - name: web-app\n        image: ghcr.io/example/{n}-web-app\n        env:\n        - name: APP_PREFIX\n          value: /{n}\n        - name: APP_SECURE_COOKIES\n          value: \"true\"\n        - name: CSRF_SAMESITE\n          value: Strict\n        - name: USERID_HEADER\n          value: kubeflow-userid\n        ports:\n        - containerPort: 5000\n        volumeMounts:\n        - mountPath: /etc/config\n          name: config-volume\n      volumes:\n      - name: config-volume\n        configMap:\n          name: web-app-config\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web-app\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-app\nspec:\n  ports:\n  - name: http\n    port: 80\n    protocol: TCP\n    targetPort: 5000\n  selector:\n    app.kubernetes.io/component: web-app\n  type: ClusterIP\n"
            ),
        );
        add(
            files,
            format!("{dir}/web/istio.yaml"),
            format!(
                "apiVersion: networking.istio.io/v1alpha3\nkind: VirtualService\nmetadata:\n  name: web-app\nspec:\n  gateways:\n  - kubeflow/kubeflow-gateway\n  hosts:\n  - '*'\n  http:\n  - headers:\n      request:\n        add:\n          x-forwarded-prefix: /{n}\n    match:\n    - uri:\n        prefix: /{n}/\n    rewrite:\n      uri: /\n    route:\n    - destination:\n        host: web-app.NAMESPACE.svc.cluster.local\n        port:\n          number: 80\n---\napiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\nmetadata:\n  name: web-app\nspec:\n  action: ALLOW\n  selector:\n    matchLabels:\n      app.kubernetes.io/component: web-app\n  rules:\n  - from:\n    - source:\n        principals:\n        - cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account\n"
            ),
        );
        add(
            files,
            format!("{dir}/web/ui_config.yaml"),
            embedded_config(rng, 160),
        );
        add(
            files,
            format!("{dir}/web/kustomization.yaml"),
            format!(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n- istio.yaml\nconfigMapGenerator:\n- name: web-app-config\n  files:\n  - ui_config.yaml\n  literals:\n  - APP_TITLE={}\nimages:\n- name: ghcr.io/example/{n}-web-app\n  newTag: v1.10.{}\n",
                capitalize(n),
                rng.range(0, 9)
            ),
        );
    }

    /// `base/`: the kubebuilder `default` layer, with namespace, prefix, labels and vars.
    fn write_base(&self, files: &mut Vec<(String, String)>, dir: &str) {
        let n = &self.name;
        let v = &self.var;
        let mut k = format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n# Adds namespace to all resources.\nnamespace: {n}-system\n\nnamePrefix: {n}-\n\n"
        );
        if self.deprecated_fields {
            let _ = write!(
                k,
                "commonLabels:\n  app: {n}\n  kustomize.component: {n}\n\n"
            );
        } else {
            let _ = write!(
                k,
                "labels:\n- includeSelectors: true\n  pairs:\n    app: {n}\n    kustomize.component: {n}\n\n"
            );
        }
        k.push_str("resources:\n- ../crd\n- ../rbac\n- ../manager\n- ../webhook\n");
        if self.has_db {
            k.push_str("- ../db\n");
        }
        if self.has_web {
            k.push_str("- ../web\n");
        }
        k.push_str("\npatches:\n- path: manager_webhook_patch.yaml\n- path: webhookcainjection_patch.yaml\n\nvars:\n");
        for (var, kind, group, name, field) in [
            (
                "CERTIFICATE_NAMESPACE",
                "Certificate",
                "cert-manager.io",
                "serving-cert",
                Some("metadata.namespace"),
            ),
            (
                "CERTIFICATE_NAME",
                "Certificate",
                "cert-manager.io",
                "serving-cert",
                None,
            ),
            (
                "SERVICE_NAMESPACE",
                "Service",
                "",
                "webhook-service",
                Some("metadata.namespace"),
            ),
            ("SERVICE_NAME", "Service", "", "webhook-service", None),
            (
                "MANAGER_SERVICE",
                "Service",
                "",
                "service",
                Some("metadata.name"),
            ),
        ] {
            let _ = write!(k, "- name: {v}_{var}\n  objref:\n    kind: {kind}\n");
            if !group.is_empty() {
                let _ = writeln!(k, "    group: {group}");
            }
            let _ = writeln!(k, "    version: v1\n    name: {name}");
            if let Some(f) = field {
                let _ = writeln!(k, "  fieldref:\n    fieldpath: {f}");
            }
        }
        add(files, format!("{dir}/base/kustomization.yaml"), k);
        add(
            files,
            format!("{dir}/base/manager_webhook_patch.yaml"),
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller-manager\nspec:\n  template:\n    spec:\n      containers:\n      - name: manager\n        ports:\n        - containerPort: 9443\n          name: webhook-server\n          protocol: TCP\n        volumeMounts:\n        - mountPath: /tmp/k8s-webhook-server/serving-certs\n          name: cert\n          readOnly: true\n      volumes:\n      - name: cert\n        secret:\n          defaultMode: 420\n          secretName: webhook-server-cert\n".into(),
        );
        let mut ca = String::new();
        for (kind, name) in [
            (
                "MutatingWebhookConfiguration",
                "mutating-webhook-configuration",
            ),
            (
                "ValidatingWebhookConfiguration",
                "validating-webhook-configuration",
            ),
        ] {
            let _ = write!(
                ca,
                "---\napiVersion: admissionregistration.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n    cert-manager.io/inject-ca-from: $({v}_CERTIFICATE_NAMESPACE)/$({v}_CERTIFICATE_NAME)\n"
            );
        }
        add(
            files,
            format!("{dir}/base/webhookcainjection_patch.yaml"),
            ca,
        );
    }

    /// `overlays/kubeflow/`: what Kubeflow's install layer adds on top of an upstream base.
    fn write_overlay(&self, files: &mut Vec<(String, String)>, rng: &mut Rng, dir: &str) {
        let n = &self.name;
        let mut k = format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: {}\nresources:\n- ../../base\n- ../../metrics\n",
            self.namespace
        );
        if self.uses_component {
            k.push_str("components:\n- ../../../../common/components/sidecar\n");
        }
        let _ = write!(
            k,
            "labels:\n- pairs:\n    app.kubernetes.io/part-of: kubeflow\n    app.kubernetes.io/version: v1.{}.0\n",
            rng.range(0, 10)
        );
        let _ = write!(
            k,
            "images:\n- name: ghcr.io/example/{n}-controller\n  newName: registry.example.io/kubeflow/{n}-controller\n  newTag: v1.10.{}\n- name: quay.io/brancz/kube-rbac-proxy\n  digest: sha256:{}\n",
            rng.range(0, 5),
            hex(rng, 64)
        );
        let _ = write!(
            k,
            "configMapGenerator:\n- name: config\n  behavior: merge\n  literals:\n  - USE_ISTIO=true\n  - ISTIO_GATEWAY=kubeflow/kubeflow-gateway\n  - CLUSTER_DOMAIN=cluster.local\nsecretGenerator:\n- name: {n}-oidc-authservice\n  type: Opaque\n  literals:\n  - CLIENT_ID={n}\n  - CLIENT_SECRET={}\n",
            hex(rng, 32)
        );
        if self.deprecated_fields {
            k.push_str("patchesStrategicMerge:\n- patches/service.yaml\n");
        }
        k.push_str("patches:\n- path: patches/deployment.yaml\n");
        if !self.deprecated_fields {
            k.push_str("- path: patches/service.yaml\n");
        }
        k.push_str(
            "- target:\n    kind: Deployment\n    name: controller-manager\n  patch: |-\n    - op: add\n      path: /spec/template/spec/containers/0/args/-\n      value: --zap-log-level=info\n    - op: replace\n      path: /spec/template/spec/terminationGracePeriodSeconds\n      value: 30\n",
        );
        k.push_str(
            "- target:\n    group: rbac.authorization.k8s.io\n    kind: ClusterRole\n    labelSelector: rbac.authorization.kubeflow.org/aggregate-to-kubeflow-view=true\n  patch: |-\n    - op: add\n      path: /metadata/labels/rbac.authorization.kubeflow.org~1aggregate-to-kubeflow-pipelines-view\n      value: \"true\"\n",
        );
        if self.has_web {
            k.push_str("replacements:\n");
            for (field, index) in [("metadata.name", 0), ("metadata.namespace", 1)] {
                let _ = write!(
                    k,
                    "- source:\n    kind: Service\n    name: {n}-web-app\n    fieldPath: {field}\n  targets:\n  - select:\n      kind: VirtualService\n      name: {n}-web-app\n    fieldPaths:\n    - spec.http.0.route.0.destination.host\n    options:\n      delimiter: '.'\n      index: {index}\n"
                );
            }
        }
        if self.has_hpa {
            let _ = write!(k, "replicas:\n- name: {n}-controller-manager\n  count: 2\n");
        }
        add(
            files,
            format!("{dir}/overlays/kubeflow/kustomization.yaml"),
            k,
        );

        // A strategic-merge patch: resources, extra env, a merged container, maybe a deletion.
        let mut p = String::from(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller-manager\nspec:\n  template:\n    spec:\n      containers:\n      - name: manager\n        env:\n",
        );
        let count = rng.range(2, 6);
        for key in env_names(rng, count) {
            let _ = write!(
                p,
                "        - name: {}\n          value: {}\n",
                key,
                crate::text::dq(&rng.range(1, 9999).to_string())
            );
        }
        p.push_str("        - name: USE_ISTIO\n          value: \"true\"\n        resources:\n          limits:\n            cpu: \"1\"\n            memory: 1Gi\n          requests:\n            cpu: 100m\n            memory: 256Mi\n");
        if self.drop_proxy {
            p.push_str("      - name: kube-rbac-proxy\n        $patch: delete\n");
        }
        add(
            files,
            format!("{dir}/overlays/kubeflow/patches/deployment.yaml"),
            p,
        );
        add(
            files,
            format!("{dir}/overlays/kubeflow/patches/service.yaml"),
            format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: service\n  annotations:\n    prometheus.io/scrape: \"true\"\n    prometheus.io/port: \"8080\"\n    description: {}\n",
                crate::text::dq(&sentence(rng, 5, 12))
            ),
        );
    }
}

/// A controller Deployment named `controller-manager` for app `name` (var prefix `var`).
pub fn deployment_yaml(rng: &mut Rng, name: &str, var: &str) -> String {
    let mut d = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller-manager\n  labels:\n    control-plane: controller-manager\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      control-plane: controller-manager\n  template:\n    metadata:\n      annotations:\n        kubectl.kubernetes.io/default-container: manager\n      labels:\n        control-plane: controller-manager\n    spec:\n      serviceAccountName: controller-manager\n      securityContext:\n        runAsNonRoot: true\n        seccompProfile:\n          type: RuntimeDefault\n      terminationGracePeriodSeconds: 10\n      containers:\n      - name: manager\n        image: ghcr.io/example/{name}-controller\n        imagePullPolicy: IfNotPresent\n        command:\n        - /manager\n        args:\n        - --leader-elect\n        - --health-probe-bind-address=:8081\n        - --metrics-bind-address=127.0.0.1:8080\n        - --service=$({var}_MANAGER_SERVICE)\n        env:\n        - name: POD_NAMESPACE\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.namespace\n        - name: WEBHOOK_SERVICE\n          value: $({var}_SERVICE_NAME).$({var}_SERVICE_NAMESPACE)\n"
    );
    let count = rng.range(3, 12);
    for key in env_names(rng, count) {
        let value = match rng.below(4) {
            0 => crate::text::dq(&rng.range(1, 65535).to_string()),
            1 => "\"false\"".to_string(),
            2 => rng.pick(WORDS).to_string(),
            _ => format!("{}.{}.svc.cluster.local", rng.pick(WORDS), rng.pick(WORDS)),
        };
        let _ = write!(d, "        - name: {key}\n          value: {value}\n");
    }
    d.push_str("        envFrom:\n        - configMapRef:\n            name: config\n        livenessProbe:\n          httpGet:\n            path: /healthz\n            port: 8081\n          initialDelaySeconds: 15\n          periodSeconds: 20\n        readinessProbe:\n          httpGet:\n            path: /readyz\n            port: 8081\n          initialDelaySeconds: 5\n          periodSeconds: 10\n        resources:\n          limits:\n            cpu: 500m\n            memory: 512Mi\n          requests:\n            cpu: 10m\n            memory: 64Mi\n        securityContext:\n          allowPrivilegeEscalation: false\n          capabilities:\n            drop:\n            - ALL\n        volumeMounts:\n        - mountPath: /etc/config\n          name: config-volume\n      - name: kube-rbac-proxy\n        image: quay.io/brancz/kube-rbac-proxy:v0.13.1\n        args:\n        - --secure-listen-address=0.0.0.0:8443\n        - --upstream=http://127.0.0.1:8080/\n        - --logtostderr=true\n        - --v=0\n        ports:\n        - containerPort: 8443\n          name: https\n          protocol: TCP\n        resources:\n          limits:\n            cpu: 500m\n            memory: 128Mi\n          requests:\n            cpu: 5m\n            memory: 64Mi\n      volumes:\n      - name: config-volume\n        configMap:\n          name: config\n");
    d
}

/// An embedded configuration file (for a ConfigMap generator) of about `entries` options:
/// nested YAML with lists, quoted values and prose, as Kubeflow's spawner configs are.
pub fn embedded_config(rng: &mut Rng, entries: usize) -> String {
    let mut s = String::from("# Configuration file for the application.\nspawnerFormDefaults:\n");
    for _ in 0..entries {
        let _ = writeln!(s, "  {}:", crate::text::field_name(rng));
        let _ = writeln!(s, "    # {}", sentence(rng, 4, 12));
        match rng.below(3) {
            0 => {
                let _ = writeln!(
                    s,
                    "    value: {}",
                    crate::text::dq(&description(rng).replace('\n', " "))
                );
                let _ = writeln!(s, "    readOnly: {}", rng.chance(30));
            }
            1 => {
                s.push_str("    options:\n");
                for _ in 0..rng.range(2, 6) {
                    let _ = writeln!(
                        s,
                        "    - {}/{}:v1.{}",
                        rng.pick(WORDS),
                        rng.pick(WORDS),
                        rng.range(0, 20)
                    );
                }
            }
            _ => {
                let _ = writeln!(
                    s,
                    "    limit: {}\n    request: {}m",
                    rng.range(1, 64),
                    rng.range(10, 900)
                );
            }
        }
    }
    s
}

/// `n` distinct upper-case variable names (none of the fixed ones the manifests also use).
fn env_names(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(n);
    while names.len() < n {
        let k = crate::text::field_name(rng).to_ascii_uppercase();
        if !names.contains(&k)
            && !["USE_ISTIO", "CLUSTER_DOMAIN", "POD_NAMESPACE"].contains(&k.as_str())
        {
            names.push(k);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use kustomize_core::fs::MemoryFs;
    use kustomize_core::{BuildOptions, Kustomizer};

    #[test]
    fn the_seed_fixes_the_tree() {
        let a = Tree::with_apps(3, DEFAULT_SEED);
        assert_eq!(a.files(), Tree::with_apps(3, DEFAULT_SEED).files());
        let other = Tree::with_apps(3, DEFAULT_SEED + 1);
        assert_ne!(a.files(), other.files());
    }

    #[test]
    fn a_larger_scale_adds_applications_and_keeps_the_others() {
        let one = Tree::generate(1, DEFAULT_SEED);
        let two = Tree::generate(2, DEFAULT_SEED);
        for (path, contents) in one.files() {
            let twin = two.files().iter().find(|(p, _)| p == path);
            if path == &format!("{ENTRY}/kustomization.yaml") {
                assert!(twin.is_some_and(|(_, c)| c.starts_with(contents.as_str())));
            } else {
                assert_eq!(twin.map(|(_, c)| c), Some(contents), "{path}");
            }
        }
        // The second unit of scale has the first one's shapes, so (nearly) its size.
        let ratio = two.bytes() as f64 / one.bytes() as f64;
        assert!((1.9..2.1).contains(&ratio), "scale 2 is {ratio}x scale 1");
    }

    #[test]
    fn the_tree_builds_with_every_feature_applied() {
        // A third of scale 1 keeps the debug-build test short; it has every kind of part.
        let tree = Tree::with_apps(APPS_PER_SCALE / 3, DEFAULT_SEED);
        let mut fs = MemoryFs::new();
        for (path, contents) in tree.files() {
            fs.add_file(path, contents.as_bytes());
        }
        let build = Kustomizer::new(BuildOptions::default())
            .build(&fs, format!("/{ENTRY}"))
            .unwrap_or_else(|e| panic!("{e}"));
        let yaml = String::from_utf8(build.to_yaml().unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
        let count = |needle: &str| yaml.matches(needle).count();
        // Six applications of about 33 resources, 0.7 MB each, most of it CRDs (as Kubeflow).
        assert_eq!(build.resources().len(), 198);
        assert_eq!(count("\n---\n") + 1, 198);
        assert_eq!(count("\nkind: CustomResourceDefinition\n"), 21);
        assert!(
            (3_500_000..4_700_000).contains(&yaml.len()),
            "{}",
            yaml.len()
        );
        for kind in [
            "StatefulSet",
            "MutatingWebhookConfiguration",
            "VirtualService",
            "Secret",
        ] {
            assert!(count(&format!("\nkind: {kind}\n")) > 0, "{kind}");
        }
        // Vars resolved, replacements applied, generator names hashed, images set.
        assert_eq!(count("$("), 0);
        assert_eq!(count("NAMESPACE.svc"), 0);
        assert!(count("name: atlas0-config-") >= 3);
        assert!(count("image: registry.example.io/kubeflow/atlas0-controller:v1.10.") == 1);
        // Every CRD and webhook configuration got its CA annotation through two vars.
        assert_eq!(count("cert-manager.io/inject-ca-from: "), 21 + 2 * 6);
    }
}
