//! Annotation layers a [`crate::Doc`] can carry, as a small bit set.

use std::fmt;

/// A set of annotation layers.
#[derive(Copy, Clone, Default, PartialEq, Eq, Hash)]
pub struct Layers(u32);

impl Layers {
    pub const NONE: Layers = Layers(0);
    pub const TOKENS: Layers = Layers(1 << 0);
    pub const SENTENCES: Layers = Layers(1 << 1);
    pub const TAGS: Layers = Layers(1 << 2);
    pub const LEMMAS: Layers = Layers(1 << 3);
    pub const PARSE: Layers = Layers(1 << 4);
    pub const ENTITIES: Layers = Layers(1 << 5);
    pub const TIMES: Layers = Layers(1 << 6);
    pub const QUOTES: Layers = Layers(1 << 7);
    pub const EVENTS: Layers = Layers(1 << 8);

    const NAMES: [(Layers, &'static str); 9] = [
        (Layers::TOKENS, "tokens"),
        (Layers::SENTENCES, "sentences"),
        (Layers::TAGS, "tags"),
        (Layers::LEMMAS, "lemmas"),
        (Layers::PARSE, "parse"),
        (Layers::ENTITIES, "entities"),
        (Layers::TIMES, "times"),
        (Layers::QUOTES, "quotes"),
        (Layers::EVENTS, "events"),
    ];

    #[inline]
    pub const fn union(self, other: Layers) -> Layers {
        Layers(self.0 | other.0)
    }

    #[inline]
    pub const fn contains(self, other: Layers) -> bool {
        self.0 & other.0 == other.0
    }

    #[inline]
    pub const fn intersects(self, other: Layers) -> bool {
        self.0 & other.0 != 0
    }

    /// The layers in `self` that are not in `other`.
    #[inline]
    pub const fn minus(self, other: Layers) -> Layers {
        Layers(self.0 & !other.0)
    }

    #[inline]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Names of the layers in the set, in pipeline order.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .filter(|(l, _)| self.contains(*l))
            .map(|(_, n)| *n)
            .collect()
    }
}

impl std::ops::BitOr for Layers {
    type Output = Layers;
    fn bitor(self, rhs: Layers) -> Layers {
        self.union(rhs)
    }
}

impl fmt::Debug for Layers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Layers({})", self.names().join("|"))
    }
}

impl fmt::Display for Layers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            f.write_str("(none)")
        } else {
            f.write_str(&self.names().join(", "))
        }
    }
}
