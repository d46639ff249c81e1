//! The mode of an event from its content: what a REQUEST or REJECT is about
//! ("urged Beijing to release" is `yield`, "asked for aid" is `assist`) and
//! what a THREATEN threatens ("threatened to arrest" is `arrest`).

use super::tree::Tree;
use super::{has_to, Candidate, REQUEST_NOUNS};
use newsgraph_core::records::EventType;
use newsgraph_core::tags::Deprel;

/// Content words of REQUEST and REJECT and the mode they give.
const ASK_MODES: &[(&str, &[&str])] = &[
    (
        "meet",
        &[
            "meet",
            "meeting",
            "talk",
            "negotiate",
            "negotiation",
            "dialogue",
            "visit",
            "summit",
            "discuss",
            "consult",
            "invitation",
            "mediate",
            "mediation",
            "sit",
        ],
    ),
    (
        "assist",
        &[
            "aid",
            "assistance",
            "help",
            "supply",
            "send",
            "provide",
            "deliver",
            "weapon",
            "loan",
            "funding",
            "fund",
            "money",
            "battery",
            "asylum",
            "relief",
            "ammunition",
            "equipment",
            "troop",
            "support",
            "finance",
            "bailout",
            "donate",
            "vaccine",
            "troops",
            "delivery",
            "extradite",
            "extradition",
            "peacekeeper",
            "million",
            "billion",
            "flash",
        ],
    ),
    (
        "yield",
        &[
            "release",
            "free",
            "resign",
            "step",
            "withdraw",
            "leave",
            "surrender",
            "hand",
            "return",
            "cede",
            "lift",
            "stop",
            "halt",
            "cease",
            "ceasefire",
            "quit",
            "pull",
            "abandon",
            "drop",
            "disarm",
            "evacuate",
            "reopen",
            "restore",
            "end",
            "resignation",
            "withdrawal",
            "bail",
            "truce",
        ],
    ),
    (
        "change",
        &[
            "reform",
            "change",
            "amend",
            "repeal",
            "reverse",
            "election",
            "referendum",
            "reconsider",
            "revise",
            "investigate",
            "investigation",
            "recognise",
            "recognize",
            "allow",
            "permit",
            "respect",
            "protect",
            "guarantee",
            "scrap",
            "review",
            "overturn",
            "implement",
            "comply",
            "adopt",
            "hold",
            "call",
            "bill",
            "law",
            "legislation",
            "result",
            "recount",
            "scale",
        ],
    ),
];

/// Content words of THREATEN and the mode they give.
const THREAT_MODES: &[(&str, &[&str])] = &[
    (
        "arrest",
        &[
            "arrest",
            "detain",
            "jail",
            "imprison",
            "prosecute",
            "charge",
        ],
    ),
    ("ban", &["ban", "outlaw", "prohibit", "dissolve"]),
    ("expel", &["expel", "deport", "expulsion"]),
    (
        "relations",
        &[
            "tie",
            "relation",
            "recall",
            "sever",
            "downgrade",
            "diplomatic",
        ],
    ),
    (
        "restrict",
        &[
            "sanction",
            "restrict",
            "tariff",
            "impose",
            "curb",
            "limit",
            "close",
            "suspend",
            "block",
            "cut",
            "embargo",
            "restriction",
            "duty",
            "freeze",
            "shut",
        ],
    ),
    ("rights", &["citizenship", "right", "vote", "strip"]),
    ("territory", &["annex", "territory", "seize", "occupy"]),
    (
        "violence",
        &[
            "force",
            "attack",
            "strike",
            "war",
            "retaliate",
            "kill",
            "bomb",
            "invade",
            "military",
            "respond",
            "shoot",
            "destroy",
            "fire",
            "retaliation",
            "violence",
        ],
    ),
];

/// The mode the content of a REQUEST, REJECT or THREATEN event gives, when
/// its rule leaves the mode open: the first content word (the embedded verb,
/// its object, the trigger's object or its "for" argument) that names one.
pub fn mode(tree: &Tree<'_>, c: &Candidate<'_>) -> Option<&'static str> {
    let table = match c.rule.event_type {
        EventType::Request | EventType::Reject => ASK_MODES,
        EventType::Threaten => THREAT_MODES,
        _ => return None,
    };
    let mut words = Vec::new();
    let t = c.token;
    let is_request = |n: usize| REQUEST_NOUNS.contains(&tree.lemma(n));
    // "A request for air-defence batteries was turned down": what the
    // refused request asked for.
    if c.rule.event_type == EventType::Reject {
        for s in tree
            .kids_with(t, Deprel::NsubjPass)
            .filter(|&s| is_request(s))
        {
            content_words(tree, s, 1, &mut words);
        }
    }
    // "refused to release the president despite demands from ECOWAS": the
    // demand was for what was refused.
    // (Read off the words before the noun: the parser hangs "despite" on
    // the noun, on its modifier or on the verb.)
    let despite = (t.saturating_sub(3)..t)
        .rev()
        .take_while(|&k| tree.sentence_of[k] == tree.sentence_of[t] && tree.text(k) != ",")
        .any(|k| tree.lower_is(k, &["despite"]));
    if c.rule.event_type == EventType::Request && despite {
        if let Some(h) = tree.head(t) {
            words.push(h);
            content_words(tree, h, 1, &mut words);
        }
    }
    content_words(tree, t, 0, &mut words);
    // A request noun carries the content, it is not one ("rejected calls
    // for a ceasefire").
    words.iter().filter(|&&w| !is_request(w)).find_map(|&w| {
        let lemma = tree.lemma(w);
        let lower = tree.text(w).to_ascii_lowercase();
        table.iter().find_map(|(mode, list)| {
            (list.contains(&lemma) || list.contains(&lower.as_str())).then_some(*mode)
        })
    })
}

/// The content words under `t`, nearest first: clausal complements and
/// their objects, objects, "for"/"to"/"of" arguments and their nominal heads.
fn content_words(tree: &Tree<'_>, t: usize, depth: u32, out: &mut Vec<usize>) {
    if depth > 2 {
        return;
    }
    for &k in tree.children(t) {
        let k = k as usize;
        let wanted = match tree.rel(k) {
            Some(Deprel::Xcomp | Deprel::Ccomp | Deprel::Obj | Deprel::Acl) => true,
            // "for air-defence systems and ammunition"
            Some(Deprel::CompoundPrt | Deprel::Conj) => depth > 0,
            // "dismissed calls from traders on Monday to lift the curfew":
            // a to-infinitive the parser hung on the verb.
            Some(Deprel::Advcl) if has_to(tree, k) => true,
            Some(Deprel::Obl | Deprel::Nmod | Deprel::Advcl) => {
                matches!(tree.case_of(k), Some("for" | "to" | "of" | "with"))
            }
            _ => false,
        };
        if wanted {
            out.push(k);
            content_words(tree, k, depth + 1, out);
        }
    }
}
