//! Strategic-merge patching.
