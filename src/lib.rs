//! safeguard: a security posture scanner and conformance suite for self-hosted Mattermost.
//!
//! The flow is probes → evidence → assessment (checks, profiles) → report → renderers;
//! see `docs/architecture.md`. Only [`probe`] touches the network or the disk.
#![forbid(unsafe_code)]

pub mod advisories;
pub mod assess;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod diag;
pub mod evidence;
pub mod fleet;
pub mod probe;
pub mod profile;
pub mod report;
pub mod scan;
pub mod yaml;
