//! The built-in content is sound: every check and profile loads with zero diagnostics,
//! every check a profile names exists, every fact a check uses is provided by a probe, and
//! every check serves some profile.

use safeguard::check;
use safeguard::probe;
use safeguard::profile;
use std::collections::BTreeSet;

#[test]
fn builtin_checks_and_profiles_load_without_diagnostics() {
    let checks = check::load_builtin().unwrap_or_else(|d| panic!("check diagnostics: {d:#?}"));
    assert!(
        checks.checks.len() >= 35,
        "only {} checks",
        checks.checks.len()
    );
    let profiles =
        profile::load_builtin(&checks).unwrap_or_else(|d| panic!("profile diagnostics: {d:#?}"));
    for id in ["hipaa-technical", "hipaa-2025-nprm"] {
        assert!(profiles.get(id).is_some(), "profile {id} missing");
    }
}

#[test]
fn every_fact_a_check_uses_is_provided_by_a_probe() {
    let checks = check::load_builtin().expect("checks load");
    for c in checks.checks.values() {
        for key in c.fact_keys() {
            let spec = safeguard::catalogue::spec(key)
                .unwrap_or_else(|| panic!("{}: fact {key} is not in the catalogue", c.id));
            assert!(
                probe::provides(spec.family()),
                "{}: no probe provides {} facts such as {key}",
                c.id,
                spec.family()
            );
        }
    }
}

#[test]
fn every_check_is_used_by_a_profile_and_every_profile_check_exists() {
    let checks = check::load_builtin().expect("checks load");
    let profiles = profile::load_builtin(&checks).expect("profiles load");
    let mut used = BTreeSet::new();
    for p in profiles.profiles.values() {
        for id in p.check_ids() {
            assert!(checks.get(id).is_some(), "{}: unknown check {id}", p.id);
            used.insert(id.to_owned());
        }
    }
    let unused: Vec<&String> = checks
        .checks
        .keys()
        .filter(|id| !used.contains(*id))
        .collect();
    assert!(unused.is_empty(), "checks in no profile: {unused:?}");
}

#[test]
fn hipaa_technical_lists_every_164_312_paragraph_with_its_designation() {
    let checks = check::load_builtin().expect("checks load");
    let profiles = profile::load_builtin(&checks).expect("profiles load");
    let p = profiles.get("hipaa-technical").expect("hipaa-technical");
    let expected = [
        ("164.312(a)(1)", "standard"),
        ("164.312(a)(2)(i)", "required"),
        ("164.312(a)(2)(ii)", "required"),
        ("164.312(a)(2)(iii)", "addressable"),
        ("164.312(a)(2)(iv)", "addressable"),
        ("164.312(b)", "required"),
        ("164.312(c)(1)", "standard"),
        ("164.312(c)(2)", "addressable"),
        ("164.312(d)", "required"),
        ("164.312(e)(1)", "standard"),
        ("164.312(e)(2)(i)", "addressable"),
        ("164.312(e)(2)(ii)", "addressable"),
    ];
    for (id, designation) in expected {
        let r = p
            .requirements
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(r.designation.as_str(), designation, "{id}");
    }
    let nprm = profiles.get("hipaa-2025-nprm").expect("nprm");
    assert_eq!(nprm.status, profile::ProfileStatus::Proposed);
    assert!(
        nprm.notice
            .as_deref()
            .unwrap_or("")
            .to_lowercase()
            .contains("not law")
    );
    assert!(
        nprm.requirements
            .iter()
            .all(|r| r.designation != profile::Designation::Addressable)
    );
}

/// Every built-in check proves itself: it has at least one passing and one failing (or,
/// for a check that only ever warns, warning) example, and `safeguard checks test` agrees
/// with every example.
#[test]
fn every_builtin_check_has_examples_that_hold() {
    let checks = check::load_builtin().expect("checks load");
    let mut missing = Vec::new();
    for c in checks.checks.values() {
        let has = |s: check::FindingStatus| c.examples.iter().any(|e| e.expect == s);
        if !has(check::FindingStatus::Pass)
            || !(has(check::FindingStatus::Fail) || has(check::FindingStatus::Warn))
        {
            missing.push(c.id.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "checks without a pass and a fail example: {missing:?}"
    );
    let out = assert_cmd::Command::cargo_bin("safeguard")
        .unwrap()
        .args(["checks", "test"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_default();
    let n: usize = checks.checks.values().map(|c| c.examples.len()).sum();
    assert_eq!(last, format!("{n} passed, 0 failed"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}

/// A deliberately wrong example in a user's directory fails `checks test`, with its place.
#[test]
fn a_wrong_example_in_a_user_directory_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(
        dir.path().join("mine/mine-debug-off.yaml"),
        "title: Developer mode off\ndomain: mine\nseverity: low\n\
         remediation: {summary: Turn it off}\n\
         assert: {fact: mattermost.config.ServiceSettings.EnableDeveloper, eq: false}\n\
         examples:\n\
         \x20 - {expect: pass, config: {ServiceSettings.EnableDeveloper: false}}\n\
         \x20 - {expect: pass, config: {ServiceSettings.EnableDeveloper: true}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("mine/mine-no-examples.yaml"),
        "title: T\ndomain: mine\nseverity: low\nremediation: {summary: S}\n\
         assert: {fact: mattermost.config.SqlSettings.Trace, eq: false}\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("safeguard")
        .unwrap()
        .args(["checks", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("mine-debug-off #2 (")
            && text.contains("mine-debug-off.yaml:8): expected pass, got fail"),
        "{text}"
    );
    assert!(text.contains("mine-no-examples"), "{text}");
    assert_eq!(text.lines().last(), Some("1 passed, 2 failed"), "{text}");
}
