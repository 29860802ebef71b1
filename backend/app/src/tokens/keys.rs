//! Ed25519 signing keys for access tokens, kept as PKCS#8 PEM files in a
//! directory. The key id (`kid`) is derived from the public key, so a key
//! keeps its id wherever it is loaded. Rotation: add a new key file (it
//! becomes the signing key when its name sorts last), keep the old one until
//! the tokens it signed have expired, then remove it.

use anyhow::Context;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One loaded key.
pub struct KeyPair {
    /// Key id: the first 16 hex digits of the SHA-256 of the public key.
    pub kid: String,
    /// PKCS#8 PEM of the private key.
    pub private_pem: String,
    /// The 32-byte public key.
    pub public: [u8; 32],
}

impl KeyPair {
    /// Parses a PKCS#8 PEM Ed25519 private key.
    pub fn from_pem(pem: &str) -> anyhow::Result<Self> {
        let key =
            SigningKey::from_pkcs8_pem(pem).context("not a PKCS#8 PEM Ed25519 private key")?;
        Ok(Self::from_signing_key(&key, pem.to_owned()))
    }

    fn from_signing_key(key: &SigningKey, private_pem: String) -> Self {
        let public = key.verifying_key().to_bytes();
        let digest = Sha256::digest(public);
        let kid = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        KeyPair {
            kid,
            private_pem,
            public,
        }
    }

    /// A new random key.
    pub fn generate() -> anyhow::Result<Self> {
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
        let key = SigningKey::from_bytes(&secret);
        let pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .context("encoding a new key")?;
        Ok(Self::from_signing_key(&key, pem.to_string()))
    }
}

/// Loads every `*.pem` key in `dir`, sorted by file name; the last one
/// signs. When the directory has none and `generate` is set, creates one
/// (readable by the owner only) so a development setup needs no step.
pub fn load_dir(dir: &Path, generate: bool) -> anyhow::Result<Vec<KeyPair>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating the key directory {}", dir.display()))?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading the key directory {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "pem"))
        .collect();
    files.sort();
    if files.is_empty() {
        if !generate {
            anyhow::bail!("no signing key (*.pem) in {}", dir.display());
        }
        let key = KeyPair::generate()?;
        let name = format!(
            "{}-{}.pem",
            chrono::Utc::now().format("%Y%m%dT%H%M%S"),
            key.kid
        );
        let path = dir.join(name);
        write_private(&path, &key.private_pem)?;
        tracing::info!(kid = %key.kid, path = %path.display(), "generated a new access-token signing key");
        return Ok(vec![key]);
    }
    files
        .iter()
        .map(|path| {
            let pem = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            KeyPair::from_pem(&pem).with_context(|| format!("loading {}", path.display()))
        })
        .collect()
}

fn write_private(path: &Path, pem: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(pem.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
