//! HTTP hygiene facts of a site URL: what a browser is told about transport security.

use super::FactSpec;
use crate::evidence::FactType::{Bool, Int, Str};

pub const SITE_URL: FactSpec = FactSpec::endpoint(
    "http.site-url",
    Str,
    "The site URL this subject was probed as (present only for site URLs)",
);
pub const HSTS_MAX_AGE: FactSpec = FactSpec::endpoint(
    "http.hsts.max-age",
    Int,
    "Strict-Transport-Security max-age of the site URL (0 when absent)",
);
pub const HSTS_INCLUDE_SUBDOMAINS: FactSpec = FactSpec::endpoint(
    "http.hsts.include-subdomains",
    Bool,
    "The HSTS header has includeSubDomains",
);
pub const PORT80_OPEN: FactSpec = FactSpec::endpoint(
    "http.port80.open",
    Bool,
    "Port 80 of the site host accepts connections",
);
pub const PORT80_REDIRECTS_TO_HTTPS: FactSpec = FactSpec::endpoint(
    "http.port80.redirects-to-https",
    Bool,
    "Plain HTTP on port 80 redirects to an https:// URL",
);

pub const FACTS: &[FactSpec] = &[
    SITE_URL,
    HSTS_MAX_AGE,
    HSTS_INCLUDE_SUBDOMAINS,
    PORT80_OPEN,
    PORT80_REDIRECTS_TO_HTTPS,
];
