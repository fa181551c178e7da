//! Facts of the live deployment that only the REST API (and the advisory data judged
//! against its version) provide: the server's version and build, its licence as the API
//! reports it, where the API and a config file disagree, and the security updates the
//! server lacks. Settings read through the API are the same `mattermost.config.*` facts
//! as the file's (`catalogue::settings`); they are not declared here.
//!
//! What does not belong here: how the API is read (`probe::api`), how advisories are
//! matched (`advisories`).

use super::FactSpec;
use crate::evidence::FactType::{Bool, Int, Str, StrList};

pub const VERSION: FactSpec = FactSpec::deployment(
    "mattermost.api.version",
    Str,
    "server release version (X.Y.Z) from the X-Version-Id header or the client config's Version/BuildNumber",
);
pub const BUILD: FactSpec = FactSpec::deployment(
    "mattermost.api.build",
    Str,
    "server build number (a release tag, a CI number or `dev`)",
);
pub const VERSION_HEADER_EXPOSED: FactSpec = FactSpec::deployment(
    "mattermost.api.version-header-exposed",
    Bool,
    "anonymous API responses carry X-Version-Id, naming the exact server version (mattermost/mattermost#9791)",
);
pub const PING_STATUS: FactSpec = FactSpec::deployment(
    "mattermost.api.ping-status",
    Str,
    "`status` of GET /api/v4/system/ping (OK or UNHEALTHY)",
);
pub const LICENSED: FactSpec = FactSpec::deployment(
    "mattermost.api.licensed",
    Bool,
    "a licence is loaded (IsLicensed of GET /api/v4/license/client?format=old)",
);
pub const LICENSE_FEATURES: FactSpec = FactSpec::deployment(
    "mattermost.api.license-features",
    StrList,
    "licence features the API reports as enabled (MFA, IDLoadedPushNotifications, …); empty when unlicensed",
);
pub const NO_ACCOUNTS: FactSpec = FactSpec::deployment(
    "mattermost.api.no-accounts",
    Bool,
    "the client config's NoAccounts: no user exists yet, so the first sign-up becomes system admin",
);
pub const CONFIG_READ: FactSpec = FactSpec::deployment(
    "mattermost.api.config-read",
    Bool,
    "GET /api/v4/config succeeded with the admin token (the effective configuration, after environment overrides)",
);
pub const CONFIG_DISAGREEMENTS: FactSpec = FactSpec::deployment(
    "mattermost.api.config-disagreements",
    StrList,
    "settings whose value in the given config file differs from the running server's (the API wins: it reflects environment overrides)",
);

/// Facts of the REST API probe.
pub const FACTS: &[FactSpec] = &[
    VERSION,
    BUILD,
    VERSION_HEADER_EXPOSED,
    PING_STATUS,
    LICENSED,
    LICENSE_FEATURES,
    NO_ACCOUNTS,
    CONFIG_READ,
    CONFIG_DISAGREEMENTS,
];

pub const MISSING_FIXES: FactSpec = FactSpec::deployment(
    "mattermost.advisories.missing-fixes",
    StrList,
    "advisories whose fix the server's version lacks: `GO id (CVE, GHSA): fixed in <versions of its release line>`",
);
pub const JUDGED: FactSpec = FactSpec::deployment(
    "mattermost.advisories.judged",
    Int,
    "server advisories of the data whose version ranges could be compared with the server's version",
);
pub const DATA_DATE: FactSpec = FactSpec::deployment(
    "mattermost.advisories.data-date",
    Str,
    "date of the advisory data (YYYY-MM-DD)",
);
pub const DATA_AGE_DAYS: FactSpec = FactSpec::deployment(
    "mattermost.advisories.data-age-days",
    Int,
    "age of the advisory data in days at scan time",
);
pub const VERSION_BEYOND_DATA: FactSpec = FactSpec::deployment(
    "mattermost.advisories.version-beyond-data",
    Bool,
    "the server's version is newer than every fixed version in the data: the data cannot speak for it",
);

/// Facts of the advisory match.
pub const ADVISORY_FACTS: &[FactSpec] = &[
    MISSING_FIXES,
    JUDGED,
    DATA_DATE,
    DATA_AGE_DAYS,
    VERSION_BEYOND_DATA,
];
