//! Secrets never published: a signing key, a private key or an environment
//! file among the files a build would publish stops the build, naming the
//! file. A key on a mirror is a key anyone can sign fakes with.

/// What secret `name` (a published path) with these bytes is, if it is one.
pub fn secret_kind(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    if head.trim_ascii_start().starts_with(crate::publish::signing::SECRET_TAG.as_bytes()) {
        Some("a sitegen secret key")
    } else if has(b"-----BEGIN OPENSSH PRIVATE KEY-----") {
        Some("an OpenSSH private key")
    } else if has(b"-----BEGIN") && has(b"PRIVATE KEY-----") {
        Some("a private key (PEM)")
    } else if file == ".env" || file.ends_with(".env") || file.starts_with(".env.") {
        Some("an environment file (.env), where secrets live")
    } else {
        None
    }
}

/// The error for a secret among the files to publish.
pub fn refuse(kind: &str) -> String {
    format!(
        "is {kind}: it must never be published; move it out of content/, static/ and the theme \
         (and if a copy was ever published, make a new one)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_environment_files_are_found() {
        let key = crate::publish::signing::secret_to_text(&crate::publish::signing::generate().unwrap());
        assert_eq!(secret_kind("x.txt", key.as_bytes()), Some("a sitegen secret key"));
        let pem = b"junk\n-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(secret_kind("a/site.css", pem), Some("a private key (PEM)"));
        assert_eq!(secret_kind("k", b"-----BEGIN OPENSSH PRIVATE KEY-----\n"), Some("an OpenSSH private key"));
        assert!(secret_kind("deploy/production.env", b"TOKEN=1").is_some());
        assert_eq!(secret_kind("news/a/photo.jpg", b"\xff\xd8\xff"), None);
        assert_eq!(secret_kind("keys.html", b"<p>-----BEGIN PUBLIC KEY-----</p>"), None);
    }
}
