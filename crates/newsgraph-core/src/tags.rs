//! Closed tag vocabularies: Universal POS tags, Penn Treebank tags (as in UD
//! English), and UD English dependency relations.
//!
//! They are enums so a tagged token costs three bytes and no allocation.
//! `from_str` accepts the exact UD spelling; `as_str` gives it back.

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order (index = `self as usize`).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            /// Parse the UD spelling; `None` for anything else.
            #[allow(clippy::should_implement_trait)]
            pub fn from_str(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }

            pub fn index(self) -> usize {
                self as usize
            }

            pub fn from_index(i: usize) -> Option<Self> {
                Self::ALL.get(i).copied()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Universal part-of-speech tag.
    Upos {
        Adj = "ADJ", Adp = "ADP", Adv = "ADV", Aux = "AUX", Cconj = "CCONJ", Det = "DET",
        Intj = "INTJ", Noun = "NOUN", Num = "NUM", Part = "PART", Pron = "PRON", Propn = "PROPN",
        Punct = "PUNCT", Sconj = "SCONJ", Sym = "SYM", Verb = "VERB", X = "X",
    }
}

string_enum! {
    /// Penn Treebank part-of-speech tag, with the additions UD English uses
    /// (`ADD`, `AFX`, `GW`, `HYPH`, `NFP`, `XX`).
    Xpos {
        Nn = "NN", In = "IN", Dt = "DT", Nnp = "NNP", Jj = "JJ", Prp = "PRP", Period = ".",
        Rb = "RB", Comma = ",", Nns = "NNS", Vb = "VB", Cc = "CC", Vbd = "VBD", Vbp = "VBP",
        Vbz = "VBZ", Cd = "CD", Vbn = "VBN", Vbg = "VBG", To = "TO", PrpS = "PRP$", Md = "MD",
        Uh = "UH", Colon = ":", Rrb = "-RRB-", Wdt = "WDT", Lrb = "-LRB-", Wrb = "WRB",
        OpenQuote = "``", CloseQuote = "''", Hyph = "HYPH", Rp = "RP", Wp = "WP", Pos = "POS",
        Nnps = "NNPS", Jjr = "JJR", Jjs = "JJS", Ex = "EX", Rbr = "RBR", Sym = "SYM", Fw = "FW",
        Nfp = "NFP", Dollar = "$", Pdt = "PDT", Gw = "GW", Add = "ADD", Rbs = "RBS", Ls = "LS",
        Afx = "AFX", WpS = "WP$", Xx = "XX", Hash = "#",
    }
}

string_enum! {
    /// Universal Dependencies relation, with the subtypes UD English uses.
    Deprel {
        Punct = "punct", Case = "case", Det = "det", Nsubj = "nsubj", Root = "root",
        Advmod = "advmod", Amod = "amod", Obj = "obj", Obl = "obl", Conj = "conj",
        Nmod = "nmod", Cc = "cc", Compound = "compound", Mark = "mark", Aux = "aux", Cop = "cop",
        Advcl = "advcl", NmodPoss = "nmod:poss", Xcomp = "xcomp", AclRelcl = "acl:relcl",
        Flat = "flat", Ccomp = "ccomp", Acl = "acl", Parataxis = "parataxis", Nummod = "nummod",
        AuxPass = "aux:pass", Appos = "appos", NsubjPass = "nsubj:pass", Discourse = "discourse",
        OblUnmarked = "obl:unmarked", NmodUnmarked = "nmod:unmarked", CompoundPrt = "compound:prt",
        Expl = "expl", Fixed = "fixed", Iobj = "iobj", List = "list", OblAgent = "obl:agent",
        Dep = "dep", Reparandum = "reparandum", Csubj = "csubj", NmodDesc = "nmod:desc",
        NsubjOuter = "nsubj:outer", AdvclRelcl = "advcl:relcl", DetPredet = "det:predet",
        Vocative = "vocative", Goeswith = "goeswith", CcPreconj = "cc:preconj", Orphan = "orphan",
        Dislocated = "dislocated", CsubjPass = "csubj:pass", CsubjOuter = "csubj:outer",
        OblTmod = "obl:tmod", OblNpmod = "obl:npmod", NmodTmod = "nmod:tmod",
        NmodNpmod = "nmod:npmod", FlatForeign = "flat:foreign", ExplPv = "expl:pv",
        DetPoss = "det:poss", AclPass = "acl:pass", Clf = "clf",
    }
}

impl Deprel {
    /// Parse a relation, falling back to its universal part for unknown subtypes
    /// (`obl:foo` -> `obl`).
    pub fn parse_lenient(s: &str) -> Option<Self> {
        Self::from_str(s).or_else(|| Self::from_str(s.split(':').next()?))
    }

    /// The universal relation without subtype (`nsubj:pass` -> `nsubj`).
    pub fn base(self) -> &'static str {
        let s = self.as_str();
        s.split(':').next().unwrap_or(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for &u in Upos::ALL {
            assert_eq!(Upos::from_str(u.as_str()), Some(u));
            assert_eq!(Upos::from_index(u.index()), Some(u));
        }
        for &x in Xpos::ALL {
            assert_eq!(Xpos::from_str(x.as_str()), Some(x));
        }
        for &d in Deprel::ALL {
            assert_eq!(Deprel::from_str(d.as_str()), Some(d));
        }
        assert_eq!(Deprel::parse_lenient("obl:foo"), Some(Deprel::Obl));
        assert_eq!(Deprel::NsubjPass.base(), "nsubj");
    }
}
