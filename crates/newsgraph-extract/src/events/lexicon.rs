//! The PLOVER trigger lexicon (`lexicons/plover_triggers.txt`): rules that map
//! a verb or noun lemma, with constraints on its dependents, to an event type
//! and mode.
//!
//! ```
//! use newsgraph_extract::events::lexicon::{Lexicon, TriggerPos};
//! let lex = Lexicon::parse("t", "@s = sanction,embargo\n\
//!     concede.lift | CONCEDE | - | v:lift,ease | obj=@s\n").unwrap();
//! let rules: Vec<_> = lex.rules_for("lift", TriggerPos::Verb).collect();
//! assert_eq!(rules[0].name, "concede.lift");
//! assert!(rules[0].obj.as_ref().unwrap().contains("embargo"));
//! ```

use newsgraph_core::records::EventType;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Whether a rule's trigger is a verb or a noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerPos {
    Verb,
    Noun,
}

/// A set of lemmas.
pub type LemmaSet = HashSet<String>;

/// One line of the lexicon.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub event_type: EventType,
    /// PLOVER mode, "" when none.
    pub mode: String,
    pub pos: TriggerPos,
    pub obj: Option<LemmaSet>,
    pub noobj: Option<LemmaSet>,
    pub trans: bool,
    pub intrans: bool,
    pub prep: Option<LemmaSet>,
    pub noprep: Option<LemmaSet>,
    pub pred: Option<LemmaSet>,
    /// (Nouns) a compound or adjective modifier has a lemma in the set.
    pub modifier: Option<LemmaSet>,
    pub notmod: Option<LemmaSet>,
    pub subj: Option<LemmaSet>,
    pub nosubj: Option<LemmaSet>,
    /// The argument of a preposition or particle has a lemma in the set.
    pub pobj: Option<LemmaSet>,
    /// No xcomp with a lemma in the set (`*`: no xcomp at all).
    pub nopred: Option<LemmaSet>,
    /// An object is a named entity.
    pub objent: bool,
    /// A prepositional argument is a named entity.
    pub pobjent: bool,
    /// The verb has a clausal complement (what is warned of).
    pub content: bool,
    /// The verb has "will" or "would" ("would retaliate"): an act to come.
    pub future: bool,
    /// A that-clause complement, if any, is the subject's own act: its
    /// subject is a pronoun or the main subject's word, or it is passive
    /// ("warned that they would strike", "warned that any move would be met
    /// with force"); a third party's act is a prediction ("warned that the
    /// army might use the lull").
    pub owncontent: bool,
    /// The verb takes its xcomp's event as content ("refused to meet").
    pub embed: bool,
    /// Prior probability that an event of this rule is right.
    pub conf: f32,
}

/// A lexicon line that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("trigger lexicon `{file}` line {line}: {message}")]
pub struct LexiconError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Rules indexed by trigger lemma, in file order.
#[derive(Debug, Default)]
pub struct Lexicon {
    pub rules: Vec<Rule>,
    verbs: HashMap<String, Vec<u32>>,
    nouns: HashMap<String, Vec<u32>>,
}

const BUILTIN: &str = include_str!("../../lexicons/plover_triggers.txt");

impl Lexicon {
    /// The lexicon shipped with this build.
    pub fn builtin() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| {
            Lexicon::parse("plover_triggers.txt", BUILTIN).expect("built-in lexicon is valid")
        })
    }

    /// Read a lexicon from its text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Lexicon, LexiconError> {
        let mut lists: HashMap<String, Vec<String>> = HashMap::new();
        let mut lex = Lexicon::default();
        for (n, raw) in text.lines().enumerate() {
            let err = |message: String| LexiconError {
                file: file.to_string(),
                line: n + 1,
                message,
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(def) = line.strip_prefix('@') {
                let (name, items) = def
                    .split_once('=')
                    .ok_or_else(|| err("a list needs `@name = a,b`".into()))?;
                let items = expand(items.trim(), &lists).map_err(err)?;
                lists.insert(name.trim().to_string(), items);
                continue;
            }
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            if fields.len() != 5 {
                return Err(err(format!(
                    "expected 5 `|`-separated fields, found {}",
                    fields.len()
                )));
            }
            let event_type = EventType::from_str(fields[1])
                .ok_or_else(|| err(format!("unknown event type `{}`", fields[1])))?;
            let mode = if fields[2] == "-" { "" } else { fields[2] }.to_string();
            let (pos, lemmas) = match fields[3].split_once(':') {
                Some(("v", l)) => (TriggerPos::Verb, l),
                Some(("n", l)) => (TriggerPos::Noun, l),
                _ => {
                    return Err(err(format!(
                        "trigger `{}` must be v:... or n:...",
                        fields[3]
                    )))
                }
            };
            let mut rule = Rule {
                name: fields[0].to_string(),
                event_type,
                mode,
                pos,
                obj: None,
                noobj: None,
                trans: false,
                intrans: false,
                prep: None,
                noprep: None,
                pred: None,
                modifier: None,
                notmod: None,
                subj: None,
                nosubj: None,
                pobj: None,
                nopred: None,
                objent: false,
                pobjent: false,
                content: false,
                future: false,
                owncontent: false,
                embed: false,
                conf: 0.75,
            };
            for c in fields[4].split_whitespace() {
                let (key, value) = c.split_once('=').unwrap_or((c, ""));
                let set = || -> Result<Option<LemmaSet>, LexiconError> {
                    Ok(Some(
                        expand(value, &lists).map_err(err)?.into_iter().collect(),
                    ))
                };
                match key {
                    "obj" => rule.obj = set()?,
                    "noobj" => rule.noobj = set()?,
                    "prep" => rule.prep = set()?,
                    "noprep" => rule.noprep = set()?,
                    "pred" => rule.pred = set()?,
                    "mod" => rule.modifier = set()?,
                    "notmod" => rule.notmod = set()?,
                    "subj" => rule.subj = set()?,
                    "nosubj" => rule.nosubj = set()?,
                    "pobj" => rule.pobj = set()?,
                    "nopred" => rule.nopred = set()?,
                    "objent" => rule.objent = true,
                    "pobjent" => rule.pobjent = true,
                    "content" => rule.content = true,
                    "future" => rule.future = true,
                    "owncontent" => rule.owncontent = true,
                    "trans" => rule.trans = true,
                    "intrans" => rule.intrans = true,
                    "embed" => rule.embed = true,
                    "conf" => {
                        rule.conf = value
                            .parse()
                            .map_err(|_| err(format!("bad confidence `{value}`")))?
                    }
                    _ => return Err(err(format!("unknown constraint `{key}`"))),
                }
            }
            let id = lex.rules.len() as u32;
            for lemma in lemmas.split(',').map(str::trim).filter(|l| !l.is_empty()) {
                let map = match pos {
                    TriggerPos::Verb => &mut lex.verbs,
                    TriggerPos::Noun => &mut lex.nouns,
                };
                map.entry(lemma.to_string()).or_default().push(id);
            }
            lex.rules.push(rule);
        }
        Ok(lex)
    }

    /// Rules whose trigger is `lemma` with this part of speech, in file order.
    pub fn rules_for<'a>(
        &'a self,
        lemma: &str,
        pos: TriggerPos,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        let map = match pos {
            TriggerPos::Verb => &self.verbs,
            TriggerPos::Noun => &self.nouns,
        };
        map.get(lemma)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| &self.rules[i as usize])
    }

    /// Whether some rule has this lemma as a verb trigger.
    pub fn has_verb(&self, lemma: &str) -> bool {
        self.verbs.contains_key(lemma)
    }

    /// Whether some rule has this lemma as a noun trigger.
    pub fn has_noun(&self, lemma: &str) -> bool {
        self.nouns.contains_key(lemma)
    }
}

/// Expand "a,@list,b" into lemmas.
fn expand(items: &str, lists: &HashMap<String, Vec<String>>) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for item in items.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(name) = item.strip_prefix('@') {
            out.extend(
                lists
                    .get(name)
                    .ok_or_else(|| format!("unknown list `@{name}`"))?
                    .iter()
                    .cloned(),
            );
        } else {
            out.push(item.to_lowercase());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicon_reads() {
        let lex = Lexicon::builtin();
        assert!(lex.rules.len() > 100);
        let meet: Vec<_> = lex.rules_for("meet", TriggerPos::Verb).collect();
        assert!(meet.iter().any(|r| r.name == "consult.meet"));
        // Every type has at least one rule.
        for t in EventType::ALL {
            assert!(lex.rules.iter().any(|r| r.event_type == *t), "{t}");
        }
    }

    #[test]
    fn errors_name_the_line() {
        let e = Lexicon::parse("x.txt", "# c\nr | NOPE | - | v:a |\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("NOPE"));
        let e = Lexicon::parse("x.txt", "r | AGREE | - | v:a | obj=@missing\n").unwrap_err();
        assert!(e.to_string().contains("@missing"));
    }
}
