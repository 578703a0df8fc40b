//! Fingerprints: 128-bit hashes of what a piece of output is made from, so a
//! rebuild can tell, without rendering, which pages and bodies are the same
//! as last time.

use std::fmt::{Debug, Write};
use xxhash_rust::xxh3::Xxh3;

pub type Key = u128;

/// Feeds values into one hash. Strings are length-prefixed so that
/// ("ab", "c") and ("a", "bc") differ.
pub struct Fp(Xxh3);

impl Fp {
    pub fn new(tag: &str) -> Fp {
        let mut fp = Fp(Xxh3::new());
        fp.str(tag);
        fp
    }

    pub fn str(&mut self, s: &str) -> &mut Fp {
        self.0.update(&(s.len() as u64).to_le_bytes());
        self.0.update(s.as_bytes());
        self
    }

    pub fn opt(&mut self, s: Option<&str>) -> &mut Fp {
        match s {
            Some(s) => self.u64(1).str(s),
            None => self.u64(0),
        }
    }

    pub fn u64(&mut self, n: u64) -> &mut Fp {
        self.0.update(&n.to_le_bytes());
        self
    }

    pub fn key(&mut self, k: Key) -> &mut Fp {
        self.0.update(&k.to_le_bytes());
        self
    }

    pub fn bytes(&mut self, b: &[u8]) -> &mut Fp {
        self.u64(b.len() as u64);
        self.0.update(b);
        self
    }

    /// A value through its `Debug` form: for configuration and front-matter
    /// types, whose every field counts, and which gain fields over time.
    pub fn debug(&mut self, v: &dyn Debug) -> &mut Fp {
        struct Feed<'a>(&'a mut Xxh3);
        impl Write for Feed<'_> {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.update(s.as_bytes());
                Ok(())
            }
        }
        let _ = write!(Feed(&mut self.0), "{v:?}");
        // `Debug` escapes control characters, so this cannot occur inside.
        self.0.update(&[0]);
        self
    }

    pub fn finish(&self) -> Key {
        self.0.digest128()
    }
}

/// The fingerprint of one byte string.
pub fn of_bytes(b: &[u8]) -> Key {
    xxhash_rust::xxh3::xxh3_128(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_delimited() {
        let a = Fp::new("t").str("ab").str("c").finish();
        let b = Fp::new("t").str("a").str("bc").finish();
        assert_ne!(a, b);
        assert_eq!(a, Fp::new("t").str("ab").str("c").finish());
    }

    #[test]
    fn options_differ_from_empty_strings() {
        assert_ne!(Fp::new("t").opt(None).finish(), Fp::new("t").opt(Some("")).finish());
        assert_ne!(Fp::new("t").debug(&Some(1)).finish(), Fp::new("t").debug(&None::<i32>).finish());
    }
}
