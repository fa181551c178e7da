//! Audit event categories: which HIPAA-relevant kinds of activity an audit record is.
//! Event names follow Mattermost's `server/public/model/audit_events.go` (the
//! `AuditEvent*` constants) and the string literals of older releases (v5.22–v10, e.g.
//! `Logout`, `installPluginFromUrl`, the legacy CLI's `userCreate`); they are matched
//! case-insensitively. A failed sign-in is `login` with status `fail`: there is no
//! separate event (MM `server/channels/api4/user.go`).

/// Every category, in report order. A profile's required list names these.
pub const CATEGORIES: &[&str] = &[
    "login-success",
    "login-failure",
    "logout",
    "user-created",
    "user-updated",
    "user-deactivated",
    "roles-permissions",
    "config-changes",
    "membership",
    "file-downloads",
    "token-changes",
    "permanent-deletes",
    "exports",
];

/// The category bit of `name` (index into [`CATEGORIES`]), lower-cased.
fn category_of(name: &str) -> Option<usize> {
    let idx = match name {
        // login / login-failure are decided by status
        "login"
        | "loginwithoauth"
        | "mobileloginwithoauth"
        | "signupwithoauth"
        | "completeoauth"
        | "completesaml"
        | "loginwithdesktoptoken"
        | "logincws" => 0,
        "logout" | "revokesession" | "revokeallsessionsforuser" | "revokeallsessionsallusers" => 2,
        "createuser" | "usercreate" => 3,
        "updateuser"
        | "patchuser"
        | "updatepassword"
        | "resetpassword"
        | "updateusermfa"
        | "updateuserauth"
        | "switchaccounttype"
        | "migrateauthtoldap"
        | "migrateauthtosaml"
        | "updateuseremail"
        | "resetusermfa"
        | "resetuserpassword"
        | "verifyuseremail"
        | "verifyuseremailwithouttoken" => 4,
        "updateuseractive"
        | "deleteuser"
        | "localdeleteuser"
        | "changeactiveuserstatus"
        | "convertusertobot"
        | "usertobot" => 5,
        "updateuserroles"
        | "patchrole"
        | "createscheme"
        | "patchscheme"
        | "deletescheme"
        | "updateteamscheme"
        | "updatechannelscheme"
        | "updateteammemberroles"
        | "updateteammemberschemeroles"
        | "updatechannelmemberroles"
        | "updatechannelmemberschemeroles"
        | "patchchannelmoderations"
        | "promoteguesttouser"
        | "demoteusertoguest"
        | "makesystemadmin"
        | "makemember"
        | "resetpermissions"
        | "importpermissions"
        | "assignaccesspolicy"
        | "unassignaccesspolicy"
        | "createaccesscontrolpolicy"
        | "deleteaccesscontrolpolicy"
        | "applyipfilters" => 6,
        "updateconfig" | "patchconfig" | "localupdateconfig" | "localpatchconfig"
        | "configreload" | "migrateconfig" | "configset" | "configreset" => 7,
        "addteammember"
        | "addteammembers"
        | "addusertoteamfrominvite"
        | "removeteammember"
        | "addchannelmember"
        | "removechannelmember"
        | "localaddchannelmember"
        | "localremovechannelmember"
        | "addusertochannel"
        | "addusertoteam"
        | "removeuserfromchannel"
        | "removeuserfromteam"
        | "removeallusersfromchannel"
        | "inviteuserstoteam"
        | "localinviteuserstoteam"
        | "invitegueststochannels"
        | "inviteuser" => 8,
        "getfile" | "getfilelink" | "getfilepreview" | "getfilethumbnail" => 9,
        "createuseraccesstoken"
        | "revokeuseraccesstoken"
        | "disableuseraccesstoken"
        | "enableuseraccesstoken"
        | "regencommandtoken"
        | "regenoutgoinghooktoken"
        | "regenerateoauthappsecret" => 10,
        "localpermanentdeleteallusers"
        | "permanentlyremoveflaggedpost"
        | "deleteallusers"
        | "permanentdeleteuser"
        | "permanentdeletechannel"
        | "permanentdeleteteam" => 11,
        "bulkexport"
        | "scheduleexport"
        | "generatepresignurlexport"
        | "buildexport"
        | "createcompliancereport"
        | "downloadcompliancereport"
        | "exportpermissions" => 12,
        _ => return None,
    };
    Some(idx)
}

/// The category bits one record sets.
pub fn categorize(event: &[u8], status: &[u8]) -> u32 {
    let mut lower = [0u8; 64];
    if event.len() > lower.len() {
        return 0;
    }
    for (d, s) in lower.iter_mut().zip(event) {
        *d = s.to_ascii_lowercase();
    }
    let Ok(name) = std::str::from_utf8(&lower[..event.len()]) else {
        return 0;
    };
    match category_of(name) {
        Some(0) => match status {
            b"success" => 1 << 0,
            b"fail" => 1 << 1,
            _ => 0,
        },
        Some(i) => 1 << i,
        None => 0,
    }
}

/// The names of the categories in `bits`, and of those not in it.
pub fn split(bits: u32) -> (Vec<String>, Vec<String>) {
    let mut present = Vec::new();
    let mut absent = Vec::new();
    for (i, c) in CATEGORIES.iter().enumerate() {
        if bits & (1 << i) != 0 {
            present.push((*c).to_owned());
        } else {
            absent.push((*c).to_owned());
        }
    }
    (present, absent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_status() {
        assert_eq!(categorize(b"login", b"success"), 1);
        assert_eq!(categorize(b"login", b"fail"), 2);
        assert_eq!(categorize(b"login", b"attempt"), 0);
        assert_eq!(categorize(b"Logout", b"success"), 1 << 2);
        assert_eq!(categorize(b"updateConfig", b"success"), 1 << 7);
        assert_eq!(categorize(b"somePluginEvent", b"success"), 0);
        let (p, a) = split(0b11);
        assert_eq!(p, vec!["login-success", "login-failure"]);
        assert_eq!(a.len(), CATEGORIES.len() - 2);
    }
}
