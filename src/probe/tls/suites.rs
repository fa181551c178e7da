//! The cipher-suite registry: every suite of the IANA "TLS Cipher Suites" registry
//! (<https://www.iana.org/assignments/tls-parameters/>, as transcribed in tls-parser's
//! `scripts/tls-ciphersuites.txt`), with the properties checks judge them by.
//!
//! Enumeration offers suites from this table, never from a TLS library's list: a library
//! only knows what it implements (sslyze missed two OpenSSL suites that way). What does not
//! belong here: which suites a profile allows (that is data in `profiles/`).

use super::version::Version;

/// Key exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kex {
    Null,
    Rsa,
    /// Static or anonymous finite-field Diffie-Hellman.
    Dh,
    Dhe,
    /// Static or anonymous elliptic-curve Diffie-Hellman.
    Ecdh,
    Ecdhe,
    Psk,
    Krb5,
    Srp,
    EcCpwd,
    /// TLS 1.3: key exchange is negotiated separately (always ephemeral).
    Tls13,
}

/// Server authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Anonymous,
    Rsa,
    Dss,
    Ecdsa,
    Psk,
    Krb5,
    Srp,
    EcCpwd,
    Tls13,
}

/// Bulk cipher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    Null,
    TripleDes,
    Aegis,
    Aes,
    Aria,
    Camellia,
    ChaCha20Poly1305,
    Des,
    Idea,
    Rc2,
    Rc4,
    Seed,
    Sm4,
}

/// Cipher mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Null,
    Stream,
    Cbc,
    Ccm,
    Gcm,
    /// An AEAD that is not a block-cipher mode (ChaCha20-Poly1305, AEGIS).
    Aead,
}

/// Record MAC (AEAD suites have none of their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mac {
    Null,
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
    Aead,
}

/// One registry entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suite {
    pub id: u16,
    /// The IANA name.
    pub name: &'static str,
    pub kex: Kex,
    pub auth: Auth,
    pub cipher: Cipher,
    pub mode: Mode,
    /// Effective key bits of the bulk cipher (40 for export suites).
    pub bits: u16,
    pub mac: Mac,
    pub export: bool,
    /// The document that defines it.
    pub reference: &'static str,
}

impl Suite {
    /// AEAD: GCM, CCM, ChaCha20-Poly1305, AEGIS.
    pub fn is_aead(&self) -> bool {
        matches!(self.mode, Mode::Gcm | Mode::Ccm | Mode::Aead)
    }

    /// CBC-mode block cipher (Lucky13, POODLE-TLS, BEAST territory).
    pub fn is_cbc(&self) -> bool {
        self.mode == Mode::Cbc
    }

    /// Forward secret: the key exchange is ephemeral.
    pub fn is_forward_secret(&self) -> bool {
        match self.kex {
            Kex::Dhe | Kex::Ecdhe | Kex::Tls13 | Kex::EcCpwd => true,
            // Anonymous (EC)DH is ephemeral, though unauthenticated (and weak anyway).
            Kex::Dh | Kex::Ecdh => self.auth == Auth::Anonymous,
            _ => false,
        }
    }

    /// No server authentication at all (anon (EC)DH, NULL-NULL).
    pub fn is_anonymous(&self) -> bool {
        self.auth == Auth::Anonymous
    }

    /// Broken or no protection: NULL cipher, export grade, anonymous, RC4, RC2, DES, 3DES,
    /// IDEA, or an MD5 MAC.
    pub fn is_weak(&self) -> bool {
        self.export
            || self.is_anonymous()
            || self.mac == Mac::Md5
            || matches!(
                self.cipher,
                Cipher::Null
                    | Cipher::Rc4
                    | Cipher::Rc2
                    | Cipher::Des
                    | Cipher::TripleDes
                    | Cipher::Idea
            )
    }

    /// The first protocol version that can negotiate it: TLS 1.3 suites need 1.3; AEAD and
    /// SHA-256/384 suites need 1.2 (RFC 5246); the rest date from SSL 3.0.
    pub fn min_version(&self) -> Version {
        if self.kex == Kex::Tls13 {
            Version::Tls13
        } else if self.is_aead() || matches!(self.mac, Mac::Sha256 | Mac::Sha384 | Mac::Sha512) {
            Version::Tls12
        } else {
            Version::Ssl3
        }
    }

    /// A TLS 1.3 suite (only valid with TLS 1.3, and the only kind TLS 1.3 accepts).
    pub fn is_tls13(&self) -> bool {
        self.kex == Kex::Tls13
    }
}

/// The suite with this code point.
pub fn by_id(id: u16) -> Option<&'static Suite> {
    REGISTRY.iter().find(|s| s.id == id)
}

/// The suite with this IANA name.
pub fn by_name(name: &str) -> Option<&'static Suite> {
    REGISTRY.iter().find(|s| s.name == name)
}

/// The name of a code point: the IANA name, or `0xABCD` for an unassigned one.
pub fn name_of(id: u16) -> String {
    by_id(id).map_or_else(|| format!("0x{id:04X}"), |s| s.name.to_owned())
}

/// Signalling suite values (RFC 5746 §3.3, RFC 7507 §6); never "accepted", never enumerated.
pub const TLS_EMPTY_RENEGOTIATION_INFO_SCSV: u16 = 0x00FF;
pub const TLS_FALLBACK_SCSV: u16 = 0x5600;

#[allow(clippy::too_many_arguments)] // one argument per registry column
const fn s(
    id: u16,
    name: &'static str,
    kex: Kex,
    auth: Auth,
    cipher: Cipher,
    mode: Mode,
    bits: u16,
    mac: Mac,
    export: bool,
    reference: &'static str,
) -> Suite {
    Suite {
        id,
        name,
        kex,
        auth,
        cipher,
        mode,
        bits,
        mac,
        export,
        reference,
    }
}

use Auth as A;
use Cipher as C;
use Kex as K;
use Mac as H;
use Mode as M;

/// The registry (signalling values excluded), in the transcription's order: IANA code
/// points first, then the withdrawn EXPORT1024 drafts OpenSSL once shipped.
#[rustfmt::skip]
pub static REGISTRY: &[Suite] = &[
    s(0x0000, "TLS_NULL_WITH_NULL_NULL", K::Null, A::Anonymous, C::Null, M::Null, 0, H::Null, false, "rfc5246"),
    s(0x0001, "TLS_RSA_WITH_NULL_MD5", K::Rsa, A::Rsa, C::Null, M::Null, 0, H::Md5, false, "rfc5246"),
    s(0x0002, "TLS_RSA_WITH_NULL_SHA", K::Rsa, A::Rsa, C::Null, M::Null, 0, H::Sha1, false, "rfc5246"),
    s(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", K::Rsa, A::Rsa, C::Rc4, M::Stream, 40, H::Md5, true, "rfc4346"),
    s(0x0004, "TLS_RSA_WITH_RC4_128_MD5", K::Rsa, A::Rsa, C::Rc4, M::Stream, 128, H::Md5, false, "rfc5246"),
    s(0x0005, "TLS_RSA_WITH_RC4_128_SHA", K::Rsa, A::Rsa, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc5246"),
    s(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", K::Rsa, A::Rsa, C::Rc2, M::Cbc, 40, H::Md5, true, "rfc4346"),
    s(0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", K::Rsa, A::Rsa, C::Idea, M::Cbc, 128, H::Sha1, false, "rfc8996"),
    s(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", K::Rsa, A::Rsa, C::Des, M::Cbc, 40, H::Sha1, true, "rfc4346"),
    s(0x0009, "TLS_RSA_WITH_DES_CBC_SHA", K::Rsa, A::Rsa, C::Des, M::Cbc, 56, H::Sha1, false, "rfc8996"),
    s(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", K::Rsa, A::Rsa, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5246"),
    s(0x000B, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA", K::Dh, A::Dss, C::Des, M::Cbc, 40, H::Sha1, true, "rfc4346"),
    s(0x000C, "TLS_DH_DSS_WITH_DES_CBC_SHA", K::Dh, A::Dss, C::Des, M::Cbc, 56, H::Sha1, false, "rfc8996"),
    s(0x000D, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA", K::Dh, A::Dss, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5246"),
    s(0x000E, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA", K::Dh, A::Rsa, C::Des, M::Cbc, 40, H::Sha1, true, "rfc4346"),
    s(0x000F, "TLS_DH_RSA_WITH_DES_CBC_SHA", K::Dh, A::Rsa, C::Des, M::Cbc, 56, H::Sha1, false, "rfc8996"),
    s(0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA", K::Dh, A::Rsa, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5246"),
    s(0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", K::Dhe, A::Dss, C::Des, M::Cbc, 40, H::Sha1, true, "rfc4346"),
    s(0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA", K::Dhe, A::Dss, C::Des, M::Cbc, 56, H::Sha1, false, "rfc8996"),
    s(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", K::Dhe, A::Dss, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5246"),
    s(0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", K::Dhe, A::Rsa, C::Des, M::Cbc, 40, H::Sha1, true, "rfc4346"),
    s(0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", K::Dhe, A::Rsa, C::Des, M::Cbc, 56, H::Sha1, false, "rfc8996"),
    s(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", K::Dhe, A::Rsa, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5246"),
    s(0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", K::Dh, A::Anonymous, C::Rc4, M::Stream, 40, H::Md5, true, "rfc4346"),
    s(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", K::Dh, A::Anonymous, C::Rc4, M::Stream, 128, H::Md5, false, "rfc5246"),
    s(0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", K::Dh, A::Anonymous, C::Des, M::Cbc, 40, H::Sha1, true, "rfc4346"),
    s(0x001A, "TLS_DH_anon_WITH_DES_CBC_SHA", K::Dh, A::Anonymous, C::Des, M::Cbc, 56, H::Sha1, false, "rfc8996"),
    s(0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", K::Dh, A::Anonymous, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5246"),
    s(0x001E, "TLS_KRB5_WITH_DES_CBC_SHA", K::Krb5, A::Krb5, C::Des, M::Cbc, 56, H::Sha1, false, "rfc2712"),
    s(0x001F, "TLS_KRB5_WITH_3DES_EDE_CBC_SHA", K::Krb5, A::Krb5, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc2712"),
    s(0x0020, "TLS_KRB5_WITH_RC4_128_SHA", K::Krb5, A::Krb5, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc2712"),
    s(0x0021, "TLS_KRB5_WITH_IDEA_CBC_SHA", K::Krb5, A::Krb5, C::Idea, M::Cbc, 128, H::Sha1, false, "rfc2712"),
    s(0x0022, "TLS_KRB5_WITH_DES_CBC_MD5", K::Krb5, A::Krb5, C::Des, M::Cbc, 56, H::Md5, false, "rfc2712"),
    s(0x0023, "TLS_KRB5_WITH_3DES_EDE_CBC_MD5", K::Krb5, A::Krb5, C::TripleDes, M::Cbc, 168, H::Md5, false, "rfc2712"),
    s(0x0024, "TLS_KRB5_WITH_RC4_128_MD5", K::Krb5, A::Krb5, C::Rc4, M::Stream, 128, H::Md5, false, "rfc2712"),
    s(0x0025, "TLS_KRB5_WITH_IDEA_CBC_MD5", K::Krb5, A::Krb5, C::Idea, M::Cbc, 128, H::Md5, false, "rfc2712"),
    s(0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA", K::Krb5, A::Krb5, C::Des, M::Cbc, 40, H::Sha1, true, "rfc2712"),
    s(0x0027, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA", K::Krb5, A::Krb5, C::Rc2, M::Cbc, 40, H::Sha1, true, "rfc2712"),
    s(0x0028, "TLS_KRB5_EXPORT_WITH_RC4_40_SHA", K::Krb5, A::Krb5, C::Rc4, M::Stream, 40, H::Sha1, true, "rfc2712"),
    s(0x0029, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5", K::Krb5, A::Krb5, C::Des, M::Cbc, 40, H::Md5, true, "rfc2712"),
    s(0x002A, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5", K::Krb5, A::Krb5, C::Rc2, M::Cbc, 40, H::Md5, true, "rfc2712"),
    s(0x002B, "TLS_KRB5_EXPORT_WITH_RC4_40_MD5", K::Krb5, A::Krb5, C::Rc4, M::Stream, 40, H::Md5, true, "rfc2712"),
    s(0x002C, "TLS_PSK_WITH_NULL_SHA", K::Psk, A::Psk, C::Null, M::Null, 0, H::Sha1, false, "rfc4785"),
    s(0x002D, "TLS_DHE_PSK_WITH_NULL_SHA", K::Dhe, A::Psk, C::Null, M::Null, 0, H::Sha1, false, "rfc4785"),
    s(0x002E, "TLS_RSA_PSK_WITH_NULL_SHA", K::Rsa, A::Psk, C::Null, M::Null, 0, H::Sha1, false, "rfc4785"),
    s(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", K::Rsa, A::Rsa, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5246"),
    s(0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA", K::Dh, A::Dss, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5246"),
    s(0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA", K::Dh, A::Rsa, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5246"),
    s(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", K::Dhe, A::Dss, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5246"),
    s(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", K::Dhe, A::Rsa, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5246"),
    s(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", K::Dh, A::Anonymous, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5246"),
    s(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", K::Rsa, A::Rsa, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5246"),
    s(0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA", K::Dh, A::Dss, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5246"),
    s(0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA", K::Dh, A::Rsa, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5246"),
    s(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", K::Dhe, A::Dss, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5246"),
    s(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", K::Dhe, A::Rsa, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5246"),
    s(0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA", K::Dh, A::Anonymous, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5246"),
    s(0x003B, "TLS_RSA_WITH_NULL_SHA256", K::Rsa, A::Rsa, C::Null, M::Null, 0, H::Sha256, false, "rfc5246"),
    s(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", K::Rsa, A::Rsa, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5246"),
    s(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", K::Rsa, A::Rsa, C::Aes, M::Cbc, 256, H::Sha256, false, "rfc5246"),
    s(0x003E, "TLS_DH_DSS_WITH_AES_128_CBC_SHA256", K::Dh, A::Dss, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5246"),
    s(0x003F, "TLS_DH_RSA_WITH_AES_128_CBC_SHA256", K::Dh, A::Rsa, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5246"),
    s(0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", K::Dhe, A::Dss, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5246"),
    s(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", K::Rsa, A::Rsa, C::Camellia, M::Cbc, 128, H::Sha1, false, "rfc5932"),
    s(0x0042, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA", K::Dh, A::Dss, C::Camellia, M::Cbc, 128, H::Sha1, false, "rfc5932"),
    s(0x0043, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA", K::Dh, A::Rsa, C::Camellia, M::Cbc, 128, H::Sha1, false, "rfc5932"),
    s(0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA", K::Dhe, A::Dss, C::Camellia, M::Cbc, 128, H::Sha1, false, "rfc5932"),
    s(0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", K::Dhe, A::Rsa, C::Camellia, M::Cbc, 128, H::Sha1, false, "rfc5932"),
    s(0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", K::Dh, A::Anonymous, C::Camellia, M::Cbc, 128, H::Sha1, false, "rfc5932"),
    s(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", K::Dhe, A::Rsa, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5246"),
    s(0x0068, "TLS_DH_DSS_WITH_AES_256_CBC_SHA256", K::Dh, A::Dss, C::Aes, M::Cbc, 256, H::Sha256, false, "rfc5246"),
    s(0x0069, "TLS_DH_RSA_WITH_AES_256_CBC_SHA256", K::Dh, A::Rsa, C::Aes, M::Cbc, 256, H::Sha256, false, "rfc5246"),
    s(0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", K::Dhe, A::Dss, C::Aes, M::Cbc, 256, H::Sha256, false, "rfc5246"),
    s(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", K::Dhe, A::Rsa, C::Aes, M::Cbc, 256, H::Sha256, false, "rfc5246"),
    s(0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256", K::Dh, A::Anonymous, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5246"),
    s(0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256", K::Dh, A::Anonymous, C::Aes, M::Cbc, 256, H::Sha256, false, "rfc5246"),
    s(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", K::Rsa, A::Rsa, C::Camellia, M::Cbc, 256, H::Sha1, false, "rfc5932"),
    s(0x0085, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA", K::Dh, A::Dss, C::Camellia, M::Cbc, 256, H::Sha1, false, "rfc5932"),
    s(0x0086, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA", K::Dh, A::Rsa, C::Camellia, M::Cbc, 256, H::Sha1, false, "rfc5932"),
    s(0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA", K::Dhe, A::Dss, C::Camellia, M::Cbc, 256, H::Sha1, false, "rfc5932"),
    s(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", K::Dhe, A::Rsa, C::Camellia, M::Cbc, 256, H::Sha1, false, "rfc5932"),
    s(0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", K::Dh, A::Anonymous, C::Camellia, M::Cbc, 256, H::Sha1, false, "rfc5932"),
    s(0x008A, "TLS_PSK_WITH_RC4_128_SHA", K::Psk, A::Psk, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc4279"),
    s(0x008B, "TLS_PSK_WITH_3DES_EDE_CBC_SHA", K::Psk, A::Psk, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc4279"),
    s(0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA", K::Psk, A::Psk, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc4279"),
    s(0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA", K::Psk, A::Psk, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc4279"),
    s(0x008E, "TLS_DHE_PSK_WITH_RC4_128_SHA", K::Dhe, A::Psk, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc4279"),
    s(0x008F, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA", K::Dhe, A::Psk, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc4279"),
    s(0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA", K::Dhe, A::Psk, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc4279"),
    s(0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", K::Dhe, A::Psk, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc4279"),
    s(0x0092, "TLS_RSA_PSK_WITH_RC4_128_SHA", K::Rsa, A::Psk, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc4279"),
    s(0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA", K::Rsa, A::Psk, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc4279"),
    s(0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", K::Rsa, A::Psk, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc4279"),
    s(0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", K::Rsa, A::Psk, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc4279"),
    s(0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", K::Rsa, A::Rsa, C::Seed, M::Cbc, 128, H::Sha1, false, "rfc4162"),
    s(0x0097, "TLS_DH_DSS_WITH_SEED_CBC_SHA", K::Dh, A::Dss, C::Seed, M::Cbc, 128, H::Sha1, false, "rfc4162"),
    s(0x0098, "TLS_DH_RSA_WITH_SEED_CBC_SHA", K::Dh, A::Rsa, C::Seed, M::Cbc, 128, H::Sha1, false, "rfc4162"),
    s(0x0099, "TLS_DHE_DSS_WITH_SEED_CBC_SHA", K::Dhe, A::Dss, C::Seed, M::Cbc, 128, H::Sha1, false, "rfc4162"),
    s(0x009A, "TLS_DHE_RSA_WITH_SEED_CBC_SHA", K::Dhe, A::Rsa, C::Seed, M::Cbc, 128, H::Sha1, false, "rfc4162"),
    s(0x009B, "TLS_DH_anon_WITH_SEED_CBC_SHA", K::Dh, A::Anonymous, C::Seed, M::Cbc, 128, H::Sha1, false, "rfc4162"),
    s(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", K::Rsa, A::Rsa, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5288"),
    s(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", K::Rsa, A::Rsa, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5288"),
    s(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", K::Dhe, A::Rsa, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5288"),
    s(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", K::Dhe, A::Rsa, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5288"),
    s(0x00A0, "TLS_DH_RSA_WITH_AES_128_GCM_SHA256", K::Dh, A::Rsa, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5288"),
    s(0x00A1, "TLS_DH_RSA_WITH_AES_256_GCM_SHA384", K::Dh, A::Rsa, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5288"),
    s(0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", K::Dhe, A::Dss, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5288"),
    s(0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", K::Dhe, A::Dss, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5288"),
    s(0x00A4, "TLS_DH_DSS_WITH_AES_128_GCM_SHA256", K::Dh, A::Dss, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5288"),
    s(0x00A5, "TLS_DH_DSS_WITH_AES_256_GCM_SHA384", K::Dh, A::Dss, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5288"),
    s(0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256", K::Dh, A::Anonymous, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5288"),
    s(0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384", K::Dh, A::Anonymous, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5288"),
    s(0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256", K::Psk, A::Psk, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5487"),
    s(0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384", K::Psk, A::Psk, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5487"),
    s(0x00AA, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", K::Dhe, A::Psk, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5487"),
    s(0x00AB, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", K::Dhe, A::Psk, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5487"),
    s(0x00AC, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256", K::Rsa, A::Psk, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5487"),
    s(0x00AD, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", K::Rsa, A::Psk, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5487"),
    s(0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256", K::Psk, A::Psk, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5487"),
    s(0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384", K::Psk, A::Psk, C::Aes, M::Cbc, 256, H::Sha384, false, "rfc5487"),
    s(0x00B0, "TLS_PSK_WITH_NULL_SHA256", K::Psk, A::Psk, C::Null, M::Null, 0, H::Sha256, false, "rfc5487"),
    s(0x00B1, "TLS_PSK_WITH_NULL_SHA384", K::Psk, A::Psk, C::Null, M::Null, 0, H::Sha384, false, "rfc5487"),
    s(0x00B2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256", K::Dhe, A::Psk, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5487"),
    s(0x00B3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384", K::Dhe, A::Psk, C::Aes, M::Cbc, 256, H::Sha384, false, "rfc5487"),
    s(0x00B4, "TLS_DHE_PSK_WITH_NULL_SHA256", K::Dhe, A::Psk, C::Null, M::Null, 0, H::Sha256, false, "rfc5487"),
    s(0x00B5, "TLS_DHE_PSK_WITH_NULL_SHA384", K::Dhe, A::Psk, C::Null, M::Null, 0, H::Sha384, false, "rfc5487"),
    s(0x00B6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256", K::Rsa, A::Psk, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5487"),
    s(0x00B7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384", K::Rsa, A::Psk, C::Aes, M::Cbc, 256, H::Sha384, false, "rfc5487"),
    s(0x00B8, "TLS_RSA_PSK_WITH_NULL_SHA256", K::Rsa, A::Psk, C::Null, M::Null, 0, H::Sha256, false, "rfc5487"),
    s(0x00B9, "TLS_RSA_PSK_WITH_NULL_SHA384", K::Rsa, A::Psk, C::Null, M::Null, 0, H::Sha384, false, "rfc5487"),
    s(0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256", K::Rsa, A::Rsa, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc5932"),
    s(0x00BB, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256", K::Dh, A::Dss, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc5932"),
    s(0x00BC, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256", K::Dh, A::Rsa, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc5932"),
    s(0x00BD, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256", K::Dhe, A::Dss, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc5932"),
    s(0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", K::Dhe, A::Rsa, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc5932"),
    s(0x00BF, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256", K::Dh, A::Anonymous, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc5932"),
    s(0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", K::Rsa, A::Rsa, C::Camellia, M::Cbc, 256, H::Sha256, false, "rfc5932"),
    s(0x00C1, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256", K::Dh, A::Dss, C::Camellia, M::Cbc, 256, H::Sha256, false, "rfc5932"),
    s(0x00C2, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256", K::Dh, A::Rsa, C::Camellia, M::Cbc, 256, H::Sha256, false, "rfc5932"),
    s(0x00C3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256", K::Dhe, A::Dss, C::Camellia, M::Cbc, 256, H::Sha256, false, "rfc5932"),
    s(0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", K::Dhe, A::Rsa, C::Camellia, M::Cbc, 256, H::Sha256, false, "rfc5932"),
    s(0x00C5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", K::Dh, A::Anonymous, C::Camellia, M::Cbc, 256, H::Sha256, false, "rfc5932"),
    s(0x00C6, "TLS_SM4_GCM_SM3", K::Tls13, A::Tls13, C::Sm4, M::Gcm, 128, H::Aead, false, "rfc8998"),
    s(0x00C7, "TLS_SM4_CCM_SM3", K::Tls13, A::Tls13, C::Sm4, M::Ccm, 128, H::Aead, false, "rfc8998"),
    s(0x1301, "TLS_AES_128_GCM_SHA256", K::Tls13, A::Tls13, C::Aes, M::Gcm, 128, H::Aead, false, "rfc8446"),
    s(0x1302, "TLS_AES_256_GCM_SHA384", K::Tls13, A::Tls13, C::Aes, M::Gcm, 256, H::Aead, false, "rfc8446"),
    s(0x1303, "TLS_CHACHA20_POLY1305_SHA256", K::Tls13, A::Tls13, C::ChaCha20Poly1305, M::Aead, 128, H::Aead, false, "rfc8446"),
    s(0x1304, "TLS_AES_128_CCM_SHA256", K::Tls13, A::Tls13, C::Aes, M::Ccm, 128, H::Aead, false, "rfc8446"),
    s(0x1305, "TLS_AES_128_CCM_8_SHA256", K::Tls13, A::Tls13, C::Aes, M::Ccm, 128, H::Aead, false, "rfc8446"),
    s(0x1306, "TLS_AEGIS_256_SHA512", K::Tls13, A::Tls13, C::Aegis, M::Aead, 256, H::Sha512, false, "draft-irtf-cfrg-aegis-aead-08"),
    s(0x1307, "TLS_AEGIS_128L_SHA256", K::Tls13, A::Tls13, C::Aegis, M::Aead, 128, H::Sha256, false, "draft-irtf-cfrg-aegis-aead-08"),
    s(0xC001, "TLS_ECDH_ECDSA_WITH_NULL_SHA", K::Ecdh, A::Ecdsa, C::Null, M::Null, 0, H::Sha1, false, "rfc8422"),
    s(0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA", K::Ecdh, A::Ecdsa, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc8422"),
    s(0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", K::Ecdh, A::Ecdsa, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc8422"),
    s(0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", K::Ecdh, A::Ecdsa, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc8422"),
    s(0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA", K::Ecdh, A::Ecdsa, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc8422"),
    s(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA", K::Ecdhe, A::Ecdsa, C::Null, M::Null, 0, H::Sha1, false, "rfc8422"),
    s(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", K::Ecdhe, A::Ecdsa, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc8422"),
    s(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", K::Ecdhe, A::Ecdsa, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc8422"),
    s(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", K::Ecdhe, A::Ecdsa, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc8422"),
    s(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", K::Ecdhe, A::Ecdsa, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc8422"),
    s(0xC00B, "TLS_ECDH_RSA_WITH_NULL_SHA", K::Ecdh, A::Rsa, C::Null, M::Null, 0, H::Sha1, false, "rfc8422"),
    s(0xC00C, "TLS_ECDH_RSA_WITH_RC4_128_SHA", K::Ecdh, A::Rsa, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc8422"),
    s(0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA", K::Ecdh, A::Rsa, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc8422"),
    s(0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", K::Ecdh, A::Rsa, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc8422"),
    s(0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", K::Ecdh, A::Rsa, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc8422"),
    s(0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA", K::Ecdhe, A::Rsa, C::Null, M::Null, 0, H::Sha1, false, "rfc8422"),
    s(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", K::Ecdhe, A::Rsa, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc8422"),
    s(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", K::Ecdhe, A::Rsa, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc8422"),
    s(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", K::Ecdhe, A::Rsa, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc8422"),
    s(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", K::Ecdhe, A::Rsa, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc8422"),
    s(0xC015, "TLS_ECDH_anon_WITH_NULL_SHA", K::Ecdh, A::Anonymous, C::Null, M::Null, 0, H::Sha1, false, "rfc8422"),
    s(0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA", K::Ecdh, A::Anonymous, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc8422"),
    s(0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", K::Ecdh, A::Anonymous, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc8422"),
    s(0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", K::Ecdh, A::Anonymous, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc8422"),
    s(0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", K::Ecdh, A::Anonymous, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc8422"),
    s(0xC01A, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", K::Srp, A::Srp, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5054"),
    s(0xC01B, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA", K::Srp, A::Rsa, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5054"),
    s(0xC01C, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA", K::Srp, A::Dss, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5054"),
    s(0xC01D, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", K::Srp, A::Srp, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5054"),
    s(0xC01E, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA", K::Srp, A::Rsa, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5054"),
    s(0xC01F, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA", K::Srp, A::Dss, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5054"),
    s(0xC020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA", K::Srp, A::Srp, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5054"),
    s(0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", K::Srp, A::Rsa, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5054"),
    s(0xC022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA", K::Srp, A::Dss, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5054"),
    s(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", K::Ecdhe, A::Ecdsa, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5289"),
    s(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", K::Ecdhe, A::Ecdsa, C::Aes, M::Cbc, 256, H::Sha384, false, "rfc5289"),
    s(0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", K::Ecdh, A::Ecdsa, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5289"),
    s(0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384", K::Ecdh, A::Ecdsa, C::Aes, M::Cbc, 256, H::Sha384, false, "rfc5289"),
    s(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", K::Ecdhe, A::Rsa, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5289"),
    s(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", K::Ecdhe, A::Rsa, C::Aes, M::Cbc, 256, H::Sha384, false, "rfc5289"),
    s(0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", K::Ecdh, A::Rsa, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5289"),
    s(0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384", K::Ecdh, A::Rsa, C::Aes, M::Cbc, 256, H::Sha384, false, "rfc5289"),
    s(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", K::Ecdhe, A::Ecdsa, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5289"),
    s(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", K::Ecdhe, A::Ecdsa, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5289"),
    s(0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", K::Ecdh, A::Ecdsa, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5289"),
    s(0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384", K::Ecdh, A::Ecdsa, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5289"),
    s(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", K::Ecdhe, A::Rsa, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5289"),
    s(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", K::Ecdhe, A::Rsa, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5289"),
    s(0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", K::Ecdh, A::Rsa, C::Aes, M::Gcm, 128, H::Aead, false, "rfc5289"),
    s(0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", K::Ecdh, A::Rsa, C::Aes, M::Gcm, 256, H::Aead, false, "rfc5289"),
    s(0xC033, "TLS_ECDHE_PSK_WITH_RC4_128_SHA", K::Ecdhe, A::Psk, C::Rc4, M::Stream, 128, H::Sha1, false, "rfc5489"),
    s(0xC034, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA", K::Ecdhe, A::Psk, C::TripleDes, M::Cbc, 168, H::Sha1, false, "rfc5489"),
    s(0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", K::Ecdhe, A::Psk, C::Aes, M::Cbc, 128, H::Sha1, false, "rfc5489"),
    s(0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", K::Ecdhe, A::Psk, C::Aes, M::Cbc, 256, H::Sha1, false, "rfc5489"),
    s(0xC037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", K::Ecdhe, A::Psk, C::Aes, M::Cbc, 128, H::Sha256, false, "rfc5489"),
    s(0xC038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", K::Ecdhe, A::Psk, C::Aes, M::Cbc, 256, H::Sha384, false, "rfc5489"),
    s(0xC039, "TLS_ECDHE_PSK_WITH_NULL_SHA", K::Ecdhe, A::Psk, C::Null, M::Null, 0, H::Sha1, false, "rfc5489"),
    s(0xC03A, "TLS_ECDHE_PSK_WITH_NULL_SHA256", K::Ecdhe, A::Psk, C::Null, M::Null, 0, H::Sha256, false, "rfc5489"),
    s(0xC03B, "TLS_ECDHE_PSK_WITH_NULL_SHA384", K::Ecdhe, A::Psk, C::Null, M::Null, 0, H::Sha384, false, "rfc5489"),
    s(0xC03C, "TLS_RSA_WITH_ARIA_128_CBC_SHA256", K::Rsa, A::Rsa, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC03D, "TLS_RSA_WITH_ARIA_256_CBC_SHA384", K::Rsa, A::Rsa, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC03E, "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256", K::Dh, A::Dss, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC03F, "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384", K::Dh, A::Dss, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC040, "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256", K::Dh, A::Rsa, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC041, "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384", K::Dh, A::Rsa, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC042, "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256", K::Dhe, A::Dss, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC043, "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384", K::Dhe, A::Dss, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC044, "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256", K::Dhe, A::Rsa, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC045, "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384", K::Dhe, A::Rsa, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC046, "TLS_DH_anon_WITH_ARIA_128_CBC_SHA256", K::Dh, A::Anonymous, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC047, "TLS_DH_anon_WITH_ARIA_256_CBC_SHA384", K::Dh, A::Anonymous, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC048, "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256", K::Ecdhe, A::Ecdsa, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC049, "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384", K::Ecdhe, A::Ecdsa, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC04A, "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256", K::Ecdh, A::Ecdsa, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC04B, "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384", K::Ecdh, A::Ecdsa, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC04C, "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256", K::Ecdhe, A::Rsa, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC04D, "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384", K::Ecdhe, A::Rsa, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC04E, "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256", K::Ecdh, A::Rsa, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC04F, "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384", K::Ecdh, A::Rsa, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256", K::Rsa, A::Rsa, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384", K::Rsa, A::Rsa, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", K::Dhe, A::Rsa, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", K::Dhe, A::Rsa, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC054, "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256", K::Dh, A::Rsa, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC055, "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384", K::Dh, A::Rsa, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256", K::Dhe, A::Dss, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384", K::Dhe, A::Dss, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC058, "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256", K::Dh, A::Dss, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC059, "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384", K::Dh, A::Dss, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC05A, "TLS_DH_anon_WITH_ARIA_128_GCM_SHA256", K::Dh, A::Anonymous, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC05B, "TLS_DH_anon_WITH_ARIA_256_GCM_SHA384", K::Dh, A::Anonymous, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", K::Ecdhe, A::Ecdsa, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC05D, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", K::Ecdhe, A::Ecdsa, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC05E, "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256", K::Ecdh, A::Ecdsa, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC05F, "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384", K::Ecdh, A::Ecdsa, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", K::Ecdhe, A::Rsa, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", K::Ecdhe, A::Rsa, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC062, "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256", K::Ecdh, A::Rsa, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC063, "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384", K::Ecdh, A::Rsa, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC064, "TLS_PSK_WITH_ARIA_128_CBC_SHA256", K::Psk, A::Psk, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC065, "TLS_PSK_WITH_ARIA_256_CBC_SHA384", K::Psk, A::Psk, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC066, "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256", K::Dhe, A::Psk, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC067, "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384", K::Dhe, A::Psk, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC068, "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256", K::Rsa, A::Psk, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC069, "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384", K::Rsa, A::Psk, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC06A, "TLS_PSK_WITH_ARIA_128_GCM_SHA256", K::Psk, A::Psk, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC06B, "TLS_PSK_WITH_ARIA_256_GCM_SHA384", K::Psk, A::Psk, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC06C, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256", K::Dhe, A::Psk, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC06D, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384", K::Dhe, A::Psk, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC06E, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256", K::Rsa, A::Psk, C::Aria, M::Gcm, 128, H::Aead, false, "rfc6209"),
    s(0xC06F, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384", K::Rsa, A::Psk, C::Aria, M::Gcm, 256, H::Aead, false, "rfc6209"),
    s(0xC070, "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256", K::Ecdhe, A::Psk, C::Aria, M::Cbc, 128, H::Sha256, false, "rfc6209"),
    s(0xC071, "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384", K::Ecdhe, A::Psk, C::Aria, M::Cbc, 256, H::Sha384, false, "rfc6209"),
    s(0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", K::Ecdhe, A::Ecdsa, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc6367"),
    s(0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", K::Ecdhe, A::Ecdsa, C::Camellia, M::Cbc, 256, H::Sha384, false, "rfc6367"),
    s(0xC074, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", K::Ecdh, A::Ecdsa, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc6367"),
    s(0xC075, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", K::Ecdh, A::Ecdsa, C::Camellia, M::Cbc, 256, H::Sha384, false, "rfc6367"),
    s(0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", K::Ecdhe, A::Rsa, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc6367"),
    s(0xC077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", K::Ecdhe, A::Rsa, C::Camellia, M::Cbc, 256, H::Sha384, false, "rfc6367"),
    s(0xC078, "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256", K::Ecdh, A::Rsa, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc6367"),
    s(0xC079, "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384", K::Ecdh, A::Rsa, C::Camellia, M::Cbc, 256, H::Sha384, false, "rfc6367"),
    s(0xC07A, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256", K::Rsa, A::Rsa, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC07B, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384", K::Rsa, A::Rsa, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC07C, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", K::Dhe, A::Rsa, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC07D, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", K::Dhe, A::Rsa, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC07E, "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256", K::Dh, A::Rsa, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC07F, "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384", K::Dh, A::Rsa, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC080, "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256", K::Dhe, A::Dss, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC081, "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384", K::Dhe, A::Dss, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC082, "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256", K::Dh, A::Dss, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC083, "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384", K::Dh, A::Dss, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC084, "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256", K::Dh, A::Anonymous, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC085, "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384", K::Dh, A::Anonymous, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", K::Ecdhe, A::Ecdsa, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384", K::Ecdhe, A::Ecdsa, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC088, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", K::Ecdh, A::Ecdsa, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC089, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384", K::Ecdh, A::Ecdsa, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC08A, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", K::Ecdhe, A::Rsa, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC08B, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", K::Ecdhe, A::Rsa, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC08C, "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256", K::Ecdh, A::Rsa, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC08D, "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384", K::Ecdh, A::Rsa, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC08E, "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256", K::Psk, A::Psk, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC08F, "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384", K::Psk, A::Psk, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC090, "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256", K::Dhe, A::Psk, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC091, "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384", K::Dhe, A::Psk, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC092, "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256", K::Rsa, A::Psk, C::Camellia, M::Gcm, 128, H::Aead, false, "rfc6367"),
    s(0xC093, "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384", K::Rsa, A::Psk, C::Camellia, M::Gcm, 256, H::Aead, false, "rfc6367"),
    s(0xC094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256", K::Psk, A::Psk, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc6367"),
    s(0xC095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384", K::Psk, A::Psk, C::Camellia, M::Cbc, 256, H::Sha384, false, "rfc6367"),
    s(0xC096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", K::Dhe, A::Psk, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc6367"),
    s(0xC097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", K::Dhe, A::Psk, C::Camellia, M::Cbc, 256, H::Sha384, false, "rfc6367"),
    s(0xC098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256", K::Rsa, A::Psk, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc6367"),
    s(0xC099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384", K::Rsa, A::Psk, C::Camellia, M::Cbc, 256, H::Sha384, false, "rfc6367"),
    s(0xC09A, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", K::Ecdhe, A::Psk, C::Camellia, M::Cbc, 128, H::Sha256, false, "rfc6367"),
    s(0xC09B, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", K::Ecdhe, A::Psk, C::Camellia, M::Cbc, 256, H::Sha384, false, "rfc6367"),
    s(0xC09C, "TLS_RSA_WITH_AES_128_CCM", K::Rsa, A::Rsa, C::Aes, M::Ccm, 128, H::Aead, false, "rfc6655"),
    s(0xC09D, "TLS_RSA_WITH_AES_256_CCM", K::Rsa, A::Rsa, C::Aes, M::Ccm, 256, H::Aead, false, "rfc6655"),
    s(0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM", K::Dhe, A::Rsa, C::Aes, M::Ccm, 128, H::Aead, false, "rfc6655"),
    s(0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM", K::Dhe, A::Rsa, C::Aes, M::Ccm, 256, H::Aead, false, "rfc6655"),
    s(0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8", K::Rsa, A::Rsa, C::Aes, M::Ccm, 128, H::Aead, false, "rfc6655"),
    s(0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8", K::Rsa, A::Rsa, C::Aes, M::Ccm, 256, H::Aead, false, "rfc6655"),
    s(0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8", K::Dhe, A::Rsa, C::Aes, M::Ccm, 128, H::Aead, false, "rfc6655"),
    s(0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", K::Dhe, A::Rsa, C::Aes, M::Ccm, 256, H::Aead, false, "rfc6655"),
    s(0xC0A4, "TLS_PSK_WITH_AES_128_CCM", K::Psk, A::Psk, C::Aes, M::Ccm, 128, H::Aead, false, "rfc6655"),
    s(0xC0A5, "TLS_PSK_WITH_AES_256_CCM", K::Psk, A::Psk, C::Aes, M::Ccm, 256, H::Aead, false, "rfc6655"),
    s(0xC0A6, "TLS_DHE_PSK_WITH_AES_128_CCM", K::Dhe, A::Psk, C::Aes, M::Ccm, 128, H::Aead, false, "rfc6655"),
    s(0xC0A7, "TLS_DHE_PSK_WITH_AES_256_CCM", K::Dhe, A::Psk, C::Aes, M::Ccm, 256, H::Aead, false, "rfc6655"),
    s(0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8", K::Psk, A::Psk, C::Aes, M::Ccm, 128, H::Aead, false, "rfc6655"),
    s(0xC0A9, "TLS_PSK_WITH_AES_256_CCM_8", K::Psk, A::Psk, C::Aes, M::Ccm, 256, H::Aead, false, "rfc6655"),
    s(0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8", K::Psk, A::Psk, C::Aes, M::Ccm, 128, H::Aead, false, "rfc6655"),
    s(0xC0AB, "TLS_PSK_DHE_WITH_AES_256_CCM_8", K::Psk, A::Psk, C::Aes, M::Ccm, 256, H::Aead, false, "rfc6655"),
    s(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", K::Ecdhe, A::Ecdsa, C::Aes, M::Ccm, 128, H::Aead, false, "rfc7251"),
    s(0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", K::Ecdhe, A::Ecdsa, C::Aes, M::Ccm, 256, H::Aead, false, "rfc7251"),
    s(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", K::Ecdhe, A::Ecdsa, C::Aes, M::Ccm, 128, H::Aead, false, "rfc7251"),
    s(0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", K::Ecdhe, A::Ecdsa, C::Aes, M::Ccm, 256, H::Aead, false, "rfc7251"),
    s(0xC0B0, "TLS_ECCPWD_WITH_AES_128_GCM_SHA256", K::EcCpwd, A::EcCpwd, C::Aes, M::Gcm, 128, H::Aead, false, "rfc8492"),
    s(0xC0B1, "TLS_ECCPWD_WITH_AES_256_GCM_SHA384", K::EcCpwd, A::EcCpwd, C::Aes, M::Gcm, 256, H::Aead, false, "rfc8492"),
    s(0xC0B2, "TLS_ECCPWD_WITH_AES_128_CCM_SHA256", K::EcCpwd, A::EcCpwd, C::Aes, M::Ccm, 128, H::Aead, false, "rfc8492"),
    s(0xC0B3, "TLS_ECCPWD_WITH_AES_256_CCM_SHA384", K::EcCpwd, A::EcCpwd, C::Aes, M::Ccm, 256, H::Aead, false, "rfc8492"),
    s(0xC0B4, "TLS_SHA256_SHA256", K::Tls13, A::Tls13, C::Null, M::Null, 0, H::Sha256, false, "rfc9150"),
    s(0xC0B5, "TLS_SHA384_SHA384", K::Tls13, A::Tls13, C::Null, M::Null, 0, H::Sha384, false, "rfc9150"),
    s(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", K::Ecdhe, A::Rsa, C::ChaCha20Poly1305, M::Aead, 128, H::Aead, false, "rfc7905"),
    s(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", K::Ecdhe, A::Ecdsa, C::ChaCha20Poly1305, M::Aead, 128, H::Aead, false, "rfc7905"),
    s(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", K::Dhe, A::Rsa, C::ChaCha20Poly1305, M::Aead, 128, H::Aead, false, "rfc7905"),
    s(0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", K::Psk, A::Psk, C::ChaCha20Poly1305, M::Aead, 128, H::Aead, false, "rfc7905"),
    s(0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", K::Ecdhe, A::Psk, C::ChaCha20Poly1305, M::Aead, 128, H::Aead, false, "rfc7905"),
    s(0xCCAD, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256", K::Dhe, A::Psk, C::ChaCha20Poly1305, M::Aead, 128, H::Aead, false, "rfc7905"),
    s(0xCCAE, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256", K::Rsa, A::Psk, C::ChaCha20Poly1305, M::Aead, 128, H::Aead, false, "rfc7905"),
    s(0xD001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", K::Ecdhe, A::Psk, C::Aes, M::Gcm, 128, H::Aead, false, "rfc8442"),
    s(0xD002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", K::Ecdhe, A::Psk, C::Aes, M::Gcm, 256, H::Aead, false, "rfc8442"),
    s(0xD003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256", K::Ecdhe, A::Psk, C::Aes, M::Ccm, 128, H::Aead, false, "rfc8442"),
    s(0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", K::Ecdhe, A::Psk, C::Aes, M::Ccm, 128, H::Aead, false, "rfc8442"),
    s(0x0062, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", K::Rsa, A::Rsa, C::Des, M::Cbc, 56, H::Sha1, true, "draft-ietf-tls-56-bit-ciphersuites-01"),
    s(0x0064, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA", K::Rsa, A::Rsa, C::Rc4, M::Stream, 56, H::Sha1, true, "draft-ietf-tls-56-bit-ciphersuites-01"),
    s(0x0063, "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA", K::Dhe, A::Dss, C::Des, M::Cbc, 56, H::Sha1, true, "draft-ietf-tls-56-bit-ciphersuites-01"),
    s(0x0065, "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA", K::Dhe, A::Dss, C::Rc4, M::Stream, 56, H::Sha1, true, "draft-ietf-tls-56-bit-ciphersuites-01"),
    s(0x0066, "TLS_DHE_DSS_WITH_RC4_128_SHA", K::Dhe, A::Dss, C::Rc4, M::Stream, 128, H::Sha1, false, "draft-ietf-tls-56-bit-ciphersuites-01"),
    s(0x0060, "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5", K::Rsa, A::Rsa, C::Rc4, M::Stream, 56, H::Md5, true, "unknown"),
    s(0x0061, "TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5", K::Rsa, A::Rsa, C::Rc2, M::Cbc, 56, H::Md5, true, "unknown"),
];
