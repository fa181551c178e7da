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
