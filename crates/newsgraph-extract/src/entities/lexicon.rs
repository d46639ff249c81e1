//! The word lists of entity resolution: role and group nouns, sector-setting
//! modifiers, institutions and seats of government, partially recognised entities,
//! words that give an organisation's sector ("Broadcast", "University").
//!
//! The lists are `lexicons/*.txt` in this crate, written for newsgraph (formats
//! at the top of each file), embedded in the binary and parsed once. Countries,
//! nationalities and first names come from `newsgraph-nlp`'s gazetteer.

use std::collections::HashMap;
use std::sync::OnceLock;

/// What a role noun names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    /// One person ("minister", "spokesman").
    Person,
    /// People ("protesters", "officials").
    Group,
    /// An organised body ("government", "police").
    Body,
}

/// Gender a word implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

/// A role noun.
#[derive(Debug, Clone)]
pub struct Role {
    pub sector: Option<&'static str>,
    pub kind: RoleKind,
    pub gender: Gender,
}

/// A known organisation or seat of government.
#[derive(Debug, Clone)]
pub struct Institution {
    pub canonical: &'static str,
    /// `None` for bodies every country has ("National Assembly").
    pub country: Option<&'static str>,
    pub sector: Option<&'static str>,
    /// A seat of government standing for the government ("the Kremlin").
    pub seat: bool,
}

/// All lists, parsed.
#[derive(Debug)]
pub struct Lexicon {
    pub roles: HashMap<&'static str, Role>,
    pub modifiers: HashMap<&'static str, Option<&'static str>>,
    /// Lowercased name -> institution.
    pub institutions: HashMap<String, Institution>,
    /// Lowercased name -> claiming state.
    pub partial: HashMap<String, &'static str>,
    /// Longest institution name in tokens (whitespace-separated words).
    pub max_institution_words: usize,
    /// (word, sector) in priority order: the sector an organisation's name
    /// gives when the name holds that word (`org_words.txt`).
    pub org_words: Vec<(&'static str, &'static str)>,
}

fn sector(s: &'static str) -> Option<&'static str> {
    (s != "-").then_some(s)
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    pub fn builtin() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| {
            Lexicon::parse(
                include_str!("../../lexicons/roles.txt"),
                include_str!("../../lexicons/modifiers.txt"),
                include_str!("../../lexicons/institutions.txt"),
                include_str!("../../lexicons/partial.txt"),
                include_str!("../../lexicons/org_words.txt"),
            )
        })
    }

    fn parse(
        roles_txt: &'static str,
        modifiers_txt: &'static str,
        institutions_txt: &'static str,
        partial_txt: &'static str,
        org_words_txt: &'static str,
    ) -> Lexicon {
        let mut roles = HashMap::new();
        for line in data_lines(roles_txt) {
            let f: Vec<&'static str> = line.split('|').collect();
            if f.len() != 4 {
                continue;
            }
            let kind = match f[2] {
                "person" => RoleKind::Person,
                "group" => RoleKind::Group,
                _ => RoleKind::Body,
            };
            let gender = match f[3] {
                "m" => Gender::Male,
                "f" => Gender::Female,
                _ => Gender::Unknown,
            };
            roles.insert(
                f[0],
                Role {
                    sector: sector(f[1]),
                    kind,
                    gender,
                },
            );
        }
        let mut modifiers = HashMap::new();
        for line in data_lines(modifiers_txt) {
            if let Some((w, s)) = line.split_once('|') {
                modifiers.insert(w, sector(s));
            }
        }
        let mut institutions = HashMap::new();
        let mut max_institution_words = 1;
        for line in data_lines(institutions_txt) {
            let f: Vec<&'static str> = line.split('|').collect();
            if f.len() != 4 {
                continue;
            }
            let names: Vec<&'static str> = f[0].split(';').collect();
            let inst = Institution {
                canonical: names[0],
                country: sector(f[1]),
                sector: sector(f[2]),
                seat: f[3] == "GOV",
            };
            for n in names {
                max_institution_words = max_institution_words.max(n.split_whitespace().count());
                institutions.insert(n.to_lowercase(), inst.clone());
            }
        }
        let mut partial = HashMap::new();
        for line in data_lines(partial_txt) {
            if let Some((names, code)) = line.split_once('|') {
                for n in names.split(';') {
                    partial.insert(n.to_lowercase(), code);
                }
            }
        }
        let org_words = data_lines(org_words_txt)
            .filter_map(|l| l.split_once('|'))
            .collect();
        Lexicon {
            roles,
            modifiers,
            institutions,
            partial,
            max_institution_words,
            org_words,
        }
    }

    /// The role a (lowercase) noun names.
    pub fn role(&self, word: &str) -> Option<&Role> {
        self.roles.get(word)
    }

    /// The sector an organisation's name gives by its words ("Demerara
    /// Broadcast Network" -> JRN, "Anti-Corruption Commission" -> COP): the
    /// first word of `org_words.txt` found among the (lowercase) words.
    pub fn org_sector<'w>(&self, words: &[&'w str]) -> Option<&'static str> {
        let clean = |w: &'w str| {
            w.trim_end_matches("'s")
                .trim_end_matches("’s")
                .trim_end_matches(['\'', '’'])
        };
        self.org_words
            .iter()
            .find(|(w, _)| words.iter().any(|x| clean(x) == *w))
            .map(|(_, s)| *s)
    }

    /// A known institution by name; a leading "the" is ignored, case is not.
    pub fn institution(&self, name: &str) -> Option<&Institution> {
        let n = name.trim();
        let n = n
            .strip_prefix("the ")
            .or_else(|| n.strip_prefix("The "))
            .unwrap_or(n);
        self.institutions.get(&n.to_lowercase()).filter(|_| {
            // Short acronyms must be written in capitals ("WHO", not "who").
            n.len() > 4 || n.chars().any(|c| c.is_uppercase())
        })
    }
}

/// Heads whose sector comes from the words before them ("police spokesman").
pub fn is_generic_head(word: &str) -> bool {
    matches!(
        word,
        "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "official"
            | "officials"
            | "chief"
            | "head"
            | "director"
            | "leader"
            | "leaders"
            | "member"
            | "members"
            | "officer"
            | "officers"
            | "commander"
            | "commanders"
            | "chairman"
            | "chairwoman"
            | "chair"
            | "adviser"
            | "advisor"
            | "aide"
            | "aides"
            | "supporters"
            | "agent"
            | "agents"
            | "group"
            | "agency"
            | "forces"
            | "units"
            | "delegation"
            | "department"
            | "office"
            | "service"
            | "services"
            | "chiefs"
            | "prisoners"
            | "detainees"
    )
}

/// Words that make a title a former one ("former president", "ousted leader").
pub fn is_former(word: &str) -> bool {
    matches!(
        word,
        "former"
            | "ex"
            | "ex-"
            | "ousted"
            | "exiled"
            | "deposed"
            | "toppled"
            | "onetime"
            | "erstwhile"
    ) || word.starts_with("ex-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse() {
        let l = Lexicon::builtin();
        assert_eq!(l.role("spokesman").unwrap().gender, Gender::Male);
        assert_eq!(l.role("police").unwrap().sector, Some("COP"));
        assert_eq!(l.modifiers.get("army").copied().flatten(), Some("MIL"));
        let k = l.institution("the Kremlin").unwrap();
        assert_eq!(
            (k.country, k.sector, k.seat),
            (Some("RUS"), Some("GOV"), true)
        );
        assert_eq!(l.institution("NATO").unwrap().country, Some("IGO"));
        assert!(l.institution("who").is_none());
        assert_eq!(l.partial.get("abkhazia").copied(), Some("GEO"));
    }

    #[test]
    fn organisation_words_give_sectors_in_order() {
        let l = Lexicon::builtin();
        let s = |name: &str| {
            let lower = name.to_lowercase();
            let words: Vec<&str> = lower.split_whitespace().collect();
            l.org_sector(&words)
        };
        assert_eq!(s("Marlow Broadcast Network"), Some("JRN"));
        assert_eq!(s("Tessaly Media Workers' Association"), Some("JRN"));
        assert_eq!(s("Northern Farm Workers' Union"), Some("LAB"));
        assert_eq!(s("Anti-Corruption Commission"), Some("COP"));
        assert_eq!(s("National Elections Commission"), Some("GOV"));
        assert_eq!(s("Ostrava Liberation Movement"), Some("REB"));
        assert_eq!(s("University of Vell"), Some("EDU"));
        assert_eq!(s("Centre for Civil Rights"), Some("SOC"));
        assert_eq!(s("Republican Guard"), Some("MIL"));
        assert_eq!(s("Redmoor Capital"), Some("BUS"));
        assert_eq!(s("Clean Rivers"), None);
    }
}
