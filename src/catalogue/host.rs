//! Host facts: file permissions and ownership of the Mattermost files on the host, and
//! whether the directories holding ePHI sit on an encrypted block device. Observed by the
//! host probe (`probe::host`) from the file system, `/proc/self/mountinfo` and `/sys`.
//!
//! Encryption facts are per path (the subject is `<role>:<path>`, e.g.
//! `file-store:/opt/mattermost/data`); a path whose device cannot be told has no fact and
//! a skipped attempt saying why.

use super::FactSpec;
use crate::evidence::FactType::{Bool, Int, Str, StrList};

pub const FILES_CHECKED: FactSpec = FactSpec::deployment(
    "host.files.checked",
    Int,
    "Mattermost files whose permissions were read (config.json, server logs, audit logs)",
);
pub const FILES_EXPOSED: FactSpec = FactSpec::deployment(
    "host.files.group-or-other-access",
    StrList,
    "config.json, log and audit files readable or writable by group or others: path (mode)",
);
pub const SERVICE_USER: FactSpec = FactSpec::deployment(
    "host.files.service-user",
    Str,
    "the user Mattermost runs as: the owner of the live mattermost.log (the server creates it), else of config.json, as uid (name)",
);
pub const FILES_NOT_SERVICE_OWNED: FactSpec = FactSpec::deployment(
    "host.files.not-owned-by-service-user",
    StrList,
    "config.json, log and audit files not owned by the service user: path (owner)",
);
pub const DIRS_WORLD_WRITABLE: FactSpec = FactSpec::deployment(
    "host.dirs.world-writable",
    StrList,
    "log and audit directories writable by others",
);
pub const SYMLINKS_LEAVING: FactSpec = FactSpec::deployment(
    "host.symlinks.leaving-directory",
    StrList,
    "symbolic links in the log directories that point outside them or loop: reported, not followed",
);
pub const STORAGE_ENCRYPTED: FactSpec = FactSpec::endpoint(
    "host.storage.encrypted",
    Bool,
    "the path sits on a dm-crypt (LUKS or plain) device, or an encrypting file system (eCryptfs, gocryptfs)",
);
pub const STORAGE_DEVICE: FactSpec = FactSpec::endpoint(
    "host.storage.device",
    Str,
    "the mount, file system and block device chain under the path, as read from /proc/self/mountinfo and /sys",
);

/// Every host fact.
pub const FACTS: &[FactSpec] = &[
    FILES_CHECKED,
    FILES_EXPOSED,
    SERVICE_USER,
    FILES_NOT_SERVICE_OWNED,
    DIRS_WORLD_WRITABLE,
    SYMLINKS_LEAVING,
    STORAGE_ENCRYPTED,
    STORAGE_DEVICE,
];
