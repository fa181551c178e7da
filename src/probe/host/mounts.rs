//! Encryption at rest of a path, from the kernel's own account: the mount that holds it
//! (`/proc/self/mountinfo`) and the block device chain under that mount (`/sys/dev/block`,
//! `dm/uuid`, `slaves/`). A dm-crypt mapping (LUKS or plain) has a device-mapper UUID
//! starting `CRYPT-` (cryptsetup's convention).
//!
//! Never a pass by assumption: a network file system, an overlay (a container layer), a
//! file system without a block device the kernel shows, or a missing `/sys` give
//! [`Verdict::Unknown`] with the reason. A block device chain without a dm-crypt layer is
//! [`Verdict::Plain`]: self-encrypting drives and provider-side volume encryption are not
//! visible from the host, and are recorded as documented alternatives.

use std::path::{Path, PathBuf};

/// One line of mountinfo, the fields used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub major: u32,
    pub minor: u32,
    pub mount_point: PathBuf,
    pub fstype: String,
    pub source: String,
}

/// Unescapes mountinfo's octal escapes (`\040` for a space).
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `/proc/self/mountinfo` (proc(5)); malformed lines are skipped.
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    let mut out = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let Some(sep) = fields.iter().position(|f| *f == "-") else {
            continue;
        };
        if sep < 6 || fields.len() < sep + 3 {
            continue;
        }
        let Some((maj, min)) = fields[2].split_once(':') else {
            continue;
        };
        let (Ok(major), Ok(minor)) = (maj.parse(), min.parse()) else {
            continue;
        };
        out.push(Mount {
            major,
            minor,
            mount_point: PathBuf::from(unescape(fields[4])),
            fstype: fields[sep + 1].to_owned(),
            source: unescape(fields[sep + 2]),
        });
    }
    out
}

/// The mount holding `path` (canonical): the longest mount point that is a prefix of it,
/// the later one when a mount point is mounted over.
pub fn mount_of<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    let mut best: Option<&Mount> = None;
    for m in mounts {
        if path.starts_with(&m.mount_point)
            && best.is_none_or(|b| {
                m.mount_point.components().count() >= b.mount_point.components().count()
            })
        {
            best = Some(m);
        }
    }
    best
}

/// What could be told about a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// On a dm-crypt device or an encrypting file system; the chain, for the report.
    Encrypted(String),
    /// On block devices none of which is dm-crypt.
    Plain(String),
    /// Cannot be told: why.
    Unknown(String),
}

const NETWORK_FS: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "fuse.sshfs",
    "9p",
    "afs",
    "lustre",
    "fuse.s3fs",
    "fuse.rclone",
    "fuse.juicefs",
    "virtiofs",
];
const CRYPT_FS: &[&str] = &["ecryptfs", "fuse.gocryptfs", "fuse.encfs", "fuse.cryfs"];

/// Where the kernel's tables are (`/proc/self/mountinfo`, `/sys`): the real ones, or a
/// fake tree in tests.
#[derive(Debug, Clone)]
pub struct HostRoot {
    pub mountinfo: PathBuf,
    pub sys: PathBuf,
}

impl Default for HostRoot {
    fn default() -> Self {
        Self {
            mountinfo: PathBuf::from("/proc/self/mountinfo"),
            sys: PathBuf::from("/sys"),
        }
    }
}

/// Whether `path` sits on an encrypted device.
pub fn assess(path: &Path, root: &HostRoot) -> Verdict {
    let real = match std::fs::canonicalize(path) {
        Ok(p) => p,
        Err(e) => return Verdict::Unknown(format!("{}: {e}", path.display())),
    };
    let text = match std::fs::read_to_string(&root.mountinfo) {
        Ok(t) => t,
        Err(e) => {
            return Verdict::Unknown(format!("cannot read {}: {e}", root.mountinfo.display()));
        }
    };
    let mounts = parse_mountinfo(&text);
    let Some(m) = mount_of(&mounts, &real) else {
        return Verdict::Unknown(format!("no mount holds {}", real.display()));
    };
    let on = format!("{} ({} on {})", m.mount_point.display(), m.fstype, m.source);
    if CRYPT_FS.contains(&m.fstype.as_str()) {
        return Verdict::Encrypted(format!("{on}: an encrypting file system"));
    }
    if NETWORK_FS.contains(&m.fstype.as_str()) {
        return Verdict::Unknown(format!(
            "{on}: a network file system; encryption at rest is the file server's, not visible here"
        ));
    }
    match m.fstype.as_str() {
        "overlay" | "aufs" | "fuse-overlayfs" => {
            return Verdict::Unknown(format!(
                "{on}: an overlay (a container's file system); the backing device is not visible here"
            ));
        }
        "tmpfs" | "ramfs" => {
            return Verdict::Unknown(format!(
                "{on}: held in memory (and swap); not a volume at rest"
            ));
        }
        "zfs" => {
            return Verdict::Unknown(format!(
                "{on}: ZFS native encryption is a dataset property (zfs get encryption), not visible in mountinfo"
            ));
        }
        _ => {}
    }
    let (mut major, mut minor) = (m.major, m.minor);
    if major == 0 {
        // btrfs and others report an anonymous device; the source names the real one.
        match source_device(&m.source) {
            Some(d) => (major, minor) = d,
            None => {
                return Verdict::Unknown(format!(
                    "{on}: no block device the kernel shows for this file system"
                ));
            }
        }
    }
    let dev = root.sys.join("dev/block").join(format!("{major}:{minor}"));
    if !dev.exists() {
        return Verdict::Unknown(format!(
            "{on}: {} does not exist (a container without the host's /sys?)",
            dev.display()
        ));
    }
    let mut chain = Vec::new();
    if crypt_below(&dev, root, &mut chain, 0) {
        Verdict::Encrypted(format!("{on}: {}", chain.join(" <- ")))
    } else {
        Verdict::Plain(format!(
            "{on}: {}; no dm-crypt layer",
            if chain.is_empty() {
                format!("device {major}:{minor}")
            } else {
                chain.join(" <- ")
            }
        ))
    }
}

/// The device numbers of a `/dev/...` source.
fn source_device(source: &str) -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    if !source.starts_with("/dev/") {
        return None;
    }
    let rdev = std::fs::metadata(source).ok()?.rdev();
    let major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & !0xfff);
    let minor = (rdev & 0xff) | ((rdev >> 12) & !0xff);
    Some((u32::try_from(major).ok()?, u32::try_from(minor).ok()?))
}

/// Whether `dev` (a /sys block device directory) or any device under it (its `slaves`)
/// is a dm-crypt mapping; records the chain of names walked.
fn crypt_below(dev: &Path, root: &HostRoot, chain: &mut Vec<String>, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    let name = std::fs::canonicalize(dev)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| dev.display().to_string());
    let uuid = std::fs::read_to_string(dev.join("dm/uuid")).unwrap_or_default();
    let uuid = uuid.trim();
    if uuid.starts_with("CRYPT-") {
        let kind = uuid.split('-').nth(1).unwrap_or("CRYPT");
        chain.push(format!("{name} (dm-crypt {kind})"));
        return true;
    }
    chain.push(if uuid.is_empty() {
        name
    } else {
        format!("{name} ({})", uuid.split('-').next().unwrap_or("dm"))
    });
    let Ok(slaves) = std::fs::read_dir(dev.join("slaves")) else {
        return false;
    };
    let mut names: Vec<String> = slaves
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.iter().any(|s| {
        crypt_below(
            &root.sys.join("class/block").join(s),
            root,
            chain,
            depth + 1,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: &str = "\
22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw
23 22 8:1 / /boot rw - ext4 /dev/sda1 rw
24 22 0:40 / /srv/nfs rw - nfs4 server:/export rw
25 22 0:5 / /tmp\\040dir rw - tmpfs tmpfs rw
";

    #[test]
    fn mountinfo_and_longest_prefix() {
        let m = parse_mountinfo(INFO);
        assert_eq!(m.len(), 4);
        assert_eq!(m[3].mount_point, PathBuf::from("/tmp dir"));
        assert_eq!(mount_of(&m, Path::new("/boot/x")).unwrap().minor, 1);
        assert_eq!(mount_of(&m, Path::new("/bootx")).unwrap().major, 253);
        assert_eq!(
            mount_of(&m, Path::new("/srv/nfs/a")).unwrap().fstype,
            "nfs4"
        );
    }

    /// A fake /sys: dm-1 (LVM) on dm-0 (LUKS) on sda2; sda1 plain.
    fn fake(dir: &Path, mountinfo: &str) -> HostRoot {
        let sys = dir.join("sys");
        let mk = |name: &str, uuid: Option<&str>, slaves: &[&str]| {
            let d = sys.join("devices/virtual/block").join(name);
            std::fs::create_dir_all(d.join("slaves")).unwrap();
            if let Some(u) = uuid {
                std::fs::create_dir_all(d.join("dm")).unwrap();
                std::fs::write(d.join("dm/uuid"), format!("{u}\n")).unwrap();
            }
            for s in slaves {
                std::fs::write(d.join("slaves").join(s), "").unwrap();
            }
            std::fs::create_dir_all(sys.join("class/block")).unwrap();
            std::os::unix::fs::symlink(&d, sys.join("class/block").join(name)).unwrap();
            d
        };
        std::fs::create_dir_all(sys.join("dev/block")).unwrap();
        let dm1 = mk("dm-1", Some("LVM-abc"), &["dm-0"]);
        mk("dm-0", Some("CRYPT-LUKS2-1234-sda2_crypt"), &["sda2"]);
        mk("sda2", None, &[]);
        let sda1 = mk("sda1", None, &[]);
        std::os::unix::fs::symlink(&dm1, sys.join("dev/block/253:1")).unwrap();
        std::os::unix::fs::symlink(&sda1, sys.join("dev/block/8:1")).unwrap();
        let mi = dir.join("mountinfo");
        std::fs::write(&mi, mountinfo).unwrap();
        HostRoot { mountinfo: mi, sys }
    }

    #[test]
    fn verdicts_from_a_fake_host() {
        let t = tempfile::tempdir().unwrap();
        let here = std::fs::canonicalize(t.path()).unwrap();
        let p = here.display();
        let info = format!(
            "1 0 253:1 / / rw - ext4 /dev/mapper/vg-root rw\n\
             2 1 8:1 / {p}/plain rw - ext4 /dev/sda1 rw\n\
             3 1 0:40 / {p}/nfs rw - nfs4 srv:/x rw\n\
             4 1 0:41 / {p}/ovl rw - overlay overlay rw\n\
             5 1 7:9 / {p}/nosys rw - ext4 /dev/loop9 rw\n"
        );
        let root = fake(t.path(), &info);
        for d in ["plain", "nfs", "ovl", "nosys", "enc"] {
            std::fs::create_dir_all(here.join(d)).unwrap();
        }
        assert!(
            matches!(assess(&here.join("enc"), &root), Verdict::Encrypted(s) if s.contains("LUKS2"))
        );
        assert!(matches!(
            assess(&here.join("plain"), &root),
            Verdict::Plain(_)
        ));
        assert!(
            matches!(assess(&here.join("nfs"), &root), Verdict::Unknown(s) if s.contains("network"))
        );
        assert!(
            matches!(assess(&here.join("ovl"), &root), Verdict::Unknown(s) if s.contains("overlay"))
        );
        assert!(
            matches!(assess(&here.join("nosys"), &root), Verdict::Unknown(s) if s.contains("does not exist"))
        );
        assert!(matches!(
            assess(&here.join("missing"), &root),
            Verdict::Unknown(_)
        ));
        let bad = HostRoot {
            mountinfo: here.join("none"),
            sys: root.sys.clone(),
        };
        assert!(
            matches!(assess(&here.join("enc"), &bad), Verdict::Unknown(s) if s.contains("cannot read"))
        );
    }
}
