//! Scores predicted entities against the gold mentions and entities of the project's annotated articles.
//!
//! Matching, in order:
//! 1. **Mentions** are aligned one-to-one by overlap: every (gold, predicted)
//!    pair of overlapping mentions is a candidate, taken greedily by overlap
//!    length (longest first; ties: the pair whose lengths differ least). An
//!    aligned pair is a true positive for mention precision/recall/F1.
//! 2. **Clusters** are scored with B³ and MUC over the aligned mentions: an
//!    unaligned gold (predicted) mention is a singleton in the predicted
//!    (gold) partition.
//! 3. **Entities**: each gold entity is mapped to the predicted entity that
//!    holds most of its aligned mentions (ties: the one whose first shared
//!    mention comes first). A gold entity with no aligned mention is mapped to
//!    nothing and predicted as country `null`, sector `null`. Country and
//!    sector accuracy count exact equality (`null` = `null` is right).
//! 4. **Pronouns**: a gold mention whose words are a personal pronoun is
//!    resolved right when it is aligned to a predicted mention whose entity's
//!    non-pronoun aligned mentions mostly belong to the pronoun's gold entity.
//! 5. **Places**: over gold entities with a place, the mapped entity's place
//!    has the right country / lies within 100 km of the gold point.

use crate::gold::GoldDoc;
use newsgraph_core::records::Entity;
use newsgraph_core::TextRange;
use serde::Serialize;
use std::collections::HashMap;

/// Precision, recall, F1.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(p_num: f64, p_den: f64, r_num: f64, r_den: f64) -> Prf {
        let precision = if p_den > 0.0 { p_num / p_den } else { 0.0 };
        let recall = if r_den > 0.0 { r_num / r_den } else { 0.0 };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision: round(precision),
            recall: round(recall),
            f1: round(f1),
        }
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// One wrong actor code, for `--verbose` listings.
#[derive(Debug, Clone, Serialize)]
pub struct CodeError {
    pub document: String,
    pub gold_entity: String,
    pub gold: String,
    pub predicted: String,
    pub predicted_entity: Option<String>,
    /// The gold entity's mentions (surface words; those no predicted
    /// mention covers are starred), to tell a missed mention from a wrong code.
    pub gold_mentions: Vec<String>,
    /// The mapped predicted entity's mentions (surface words).
    pub predicted_mentions: Vec<String>,
}

/// One wrongly resolved pronoun, for `--verbose` listings.
#[derive(Debug, Clone, Serialize)]
pub struct PronounError {
    pub document: String,
    /// The pronoun with the words around it.
    pub context: String,
    pub gold_entity: String,
    /// The gold entity most of the predicted entity's other mentions belong
    /// to, `unaligned` when no predicted mention covers the pronoun, `null`
    /// when its entity has no other aligned mention.
    pub predicted: String,
}

/// One gold place whose mapped entity has no place, or one in another
/// country or more than 100 km away, for `--verbose` listings.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceError {
    pub document: String,
    pub gold_entity: String,
    /// Gold country and point: "TUR 39.00,35.20".
    pub gold: String,
    /// The mapped entity's place: "name (feature) TUR 39.93,32.86", or null.
    pub predicted: Option<String>,
    /// Distance between the two points, when there is a predicted place.
    pub km: Option<f64>,
}

/// The scores printed by `newsgraph eval entities`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EntityEval {
    pub documents: usize,
    pub mentions: Prf,
    pub b_cubed: Prf,
    pub muc: Prf,
    pub gold_entities: usize,
    pub country_accuracy: f64,
    pub sector_accuracy: f64,
    pub pronouns: usize,
    pub pronoun_accuracy: f64,
    /// Third-person pronouns only (he/she/it/they and their forms).
    pub pronouns_third_person: usize,
    pub pronoun_accuracy_third_person: f64,
    pub places: usize,
    pub place_country_accuracy: f64,
    pub place_within_100km: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<CodeError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pronoun_errors: Vec<PronounError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub place_errors: Vec<PlaceError>,
}

/// Accumulates counts over documents.
#[derive(Debug, Default)]
pub struct EntityScorer {
    documents: usize,
    gold_mentions: usize,
    pred_mentions: usize,
    aligned: usize,
    b3_p: (f64, f64),
    b3_r: (f64, f64),
    muc_p: (f64, f64),
    muc_r: (f64, f64),
    gold_entities: usize,
    country_right: usize,
    sector_right: usize,
    pronouns: usize,
    pronouns_right: usize,
    third: usize,
    third_right: usize,
    places: usize,
    place_country_right: usize,
    place_near: usize,
    errors: Vec<CodeError>,
    pronoun_errors: Vec<PronounError>,
    place_errors: Vec<PlaceError>,
}

const THIRD_PERSON: &[&str] = &[
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
];
const OTHER_PERSONAL: &[&str] = &[
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
    "i",
    "me",
    "my",
    "you",
    "your",
];

impl EntityScorer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Score one document's predicted entities. `keep_errors` keeps a list of
    /// wrong codes for `--verbose`.
    pub fn add(&mut self, gold: &GoldDoc, predicted: &[Entity], keep_errors: bool) {
        self.documents += 1;
        // Predicted mentions: (range, entity index).
        let pred: Vec<(TextRange, usize)> = predicted
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.mentions.iter().map(move |m| (m.range, i)))
            .collect();
        let goldm = &gold.mentions;
        self.gold_mentions += goldm.len();
        self.pred_mentions += pred.len();
        // 1. One-to-one alignment by overlap.
        let mut pairs: Vec<(u32, u32, usize, usize)> = Vec::new();
        for (g, gm) in goldm.iter().enumerate() {
            for (p, (pr, _)) in pred.iter().enumerate() {
                let o = gm.range.overlap(*pr);
                if o > 0 {
                    let diff = gm.range.len().abs_diff(pr.len()) as u32;
                    pairs.push((o, diff, g, p));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut g2p: Vec<Option<usize>> = vec![None; goldm.len()];
        let mut p2g: Vec<Option<usize>> = vec![None; pred.len()];
        for (_, _, g, p) in pairs {
            if g2p[g].is_none() && p2g[p].is_none() {
                g2p[g] = Some(p);
                p2g[p] = Some(g);
                self.aligned += 1;
            }
        }
        // 2. B³ and MUC.
        let gold_of = |g: usize| goldm[g].entity.as_str();
        let pred_of = |p: usize| pred[p].1;
        // B³ recall over gold mentions.
        for g in 0..goldm.len() {
            let key: Vec<usize> = (0..goldm.len())
                .filter(|&x| gold_of(x) == gold_of(g))
                .collect();
            let same = match g2p[g] {
                None => 1,
                Some(p) => key
                    .iter()
                    .filter(|&&x| g2p[x].is_some_and(|q| pred_of(q) == pred_of(p)))
                    .count(),
            };
            self.b3_r.0 += same as f64 / key.len() as f64;
            self.b3_r.1 += 1.0;
        }
        for p in 0..pred.len() {
            let resp: Vec<usize> = (0..pred.len())
                .filter(|&x| pred_of(x) == pred_of(p))
                .collect();
            let same = match p2g[p] {
                None => 1,
                Some(g) => resp
                    .iter()
                    .filter(|&&x| p2g[x].is_some_and(|h| gold_of(h) == gold_of(g)))
                    .count(),
            };
            self.b3_p.0 += same as f64 / resp.len() as f64;
            self.b3_p.1 += 1.0;
        }
        // MUC recall: for each gold cluster, |G| - number of response partitions.
        let mut gold_clusters: HashMap<&str, Vec<usize>> = HashMap::new();
        for g in 0..goldm.len() {
            gold_clusters.entry(gold_of(g)).or_default().push(g);
        }
        for members in gold_clusters.values() {
            let mut parts: Vec<Option<usize>> = Vec::new();
            let mut singletons = 0;
            for &g in members {
                match g2p[g] {
                    Some(p) => parts.push(Some(pred_of(p))),
                    None => singletons += 1,
                }
            }
            parts.sort();
            parts.dedup();
            self.muc_r.0 += (members.len() - parts.len() - singletons) as f64;
            self.muc_r.1 += (members.len() - 1) as f64;
        }
        let mut pred_clusters: HashMap<usize, Vec<usize>> = HashMap::new();
        for p in 0..pred.len() {
            pred_clusters.entry(pred_of(p)).or_default().push(p);
        }
        for members in pred_clusters.values() {
            let mut parts: Vec<&str> = Vec::new();
            let mut singletons = 0;
            for &p in members {
                match p2g[p] {
                    Some(g) => parts.push(gold_of(g)),
                    None => singletons += 1,
                }
            }
            parts.sort();
            parts.dedup();
            self.muc_p.0 += (members.len() - parts.len() - singletons) as f64;
            self.muc_p.1 += (members.len() - 1) as f64;
        }
        // 3. Gold entity -> predicted entity with most aligned mentions.
        let is_pronoun = |r: TextRange| {
            let w = gold.slice(r).to_lowercase();
            THIRD_PERSON.contains(&w.as_str()) || OTHER_PERSONAL.contains(&w.as_str())
        };
        for (id, ge) in &gold.entities {
            let mut counts: Vec<(usize, usize, usize)> = Vec::new(); // (entity, count, first)
            for (g, gm) in goldm.iter().enumerate() {
                if gm.entity != *id {
                    continue;
                }
                if let Some(p) = g2p[g] {
                    let e = pred_of(p);
                    match counts.iter_mut().find(|c| c.0 == e) {
                        Some(c) => c.1 += 1,
                        None => counts.push((e, 1, g)),
                    }
                }
            }
            let best = counts
                .iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
                .map(|c| c.0);
            let pe = best.map(|e| &predicted[e]);
            let country = pe.and_then(|e| e.country.clone());
            let sector = pe.and_then(|e| e.sector.clone());
            self.gold_entities += 1;
            let country_ok = country == ge.country;
            let sector_ok = sector == ge.sector;
            self.country_right += country_ok as usize;
            self.sector_right += sector_ok as usize;
            if keep_errors && !(country_ok && sector_ok) {
                let show = |c: &Option<String>, s: &Option<String>| {
                    format!(
                        "{} {}",
                        c.as_deref().unwrap_or("null"),
                        s.as_deref().unwrap_or("null")
                    )
                };
                let gold_mentions = goldm
                    .iter()
                    .enumerate()
                    .filter(|(_, gm)| gm.entity == *id)
                    .map(|(g, gm)| {
                        let star = if g2p[g].is_none() { "*" } else { "" };
                        format!("{star}{}", gold.slice(gm.range))
                    })
                    .collect();
                let predicted_mentions = pe
                    .map(|e| {
                        e.mentions
                            .iter()
                            .map(|m| gold.slice(m.range).to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                self.errors.push(CodeError {
                    document: gold.id.clone(),
                    gold_entity: format!("{id} ({})", ge.name),
                    gold: show(&ge.country, &ge.sector),
                    predicted: show(&country, &sector),
                    predicted_entity: pe.map(|e| e.name.clone()),
                    gold_mentions,
                    predicted_mentions,
                });
            }
            if let Some(gp) = &ge.place {
                self.places += 1;
                let pp = pe.and_then(|e| e.place.as_ref());
                let km = pp.map(|pp| distance_km(pp.lat, pp.lon, gp.lat, gp.lon));
                let country_ok = pp.is_some_and(|pp| pp.country == gp.country);
                let near = km.is_some_and(|km| km <= 100.0);
                self.place_country_right += country_ok as usize;
                self.place_near += near as usize;
                if keep_errors && !(country_ok && near) {
                    let code = |c: &Option<String>| c.clone().unwrap_or_else(|| "null".into());
                    self.place_errors.push(PlaceError {
                        document: gold.id.clone(),
                        gold_entity: format!("{id} ({})", ge.name),
                        gold: format!("{} {:.2},{:.2}", code(&gp.country), gp.lat, gp.lon),
                        predicted: pp.map(|pp| {
                            format!(
                                "{} ({}) {} {:.2},{:.2}",
                                pp.name,
                                pp.feature,
                                code(&pp.country),
                                pp.lat,
                                pp.lon
                            )
                        }),
                        km: km.map(|k| k.round()),
                    });
                }
            }
        }
        // 4. Pronouns.
        // Predicted entity -> the gold entity most of its non-pronoun aligned mentions belong to.
        let mut majority: HashMap<usize, Option<&str>> = HashMap::new();
        for (e, members) in &pred_clusters {
            let mut c: Vec<(&str, usize)> = Vec::new();
            for &p in members {
                if let Some(g) = p2g[p] {
                    if is_pronoun(goldm[g].range) {
                        continue;
                    }
                    let id = gold_of(g);
                    match c.iter_mut().find(|x| x.0 == id) {
                        Some(x) => x.1 += 1,
                        None => c.push((id, 1)),
                    }
                }
            }
            majority.insert(*e, c.iter().max_by_key(|x| x.1).map(|x| x.0));
        }
        for (g, gm) in goldm.iter().enumerate() {
            if !is_pronoun(gm.range) {
                continue;
            }
            let w = gold.slice(gm.range).to_lowercase();
            let third = THIRD_PERSON.contains(&w.as_str());
            let resolved = g2p[g].map(|p| majority.get(&pred_of(p)).copied().flatten());
            let right = resolved.flatten().is_some_and(|id| id == gm.entity);
            if keep_errors && !right {
                let text = gold.text.as_str();
                let floor = |mut i: usize| {
                    while !text.is_char_boundary(i) {
                        i -= 1;
                    }
                    i
                };
                let a = floor((gm.range.start as usize).saturating_sub(60));
                let b = floor((gm.range.end as usize + 30).min(text.len()));
                let (s, e) = (gm.range.start as usize, gm.range.end as usize);
                self.pronoun_errors.push(PronounError {
                    document: gold.id.clone(),
                    context: format!("{}[{}]{}", &text[a..s], &text[s..e], &text[e..b])
                        .replace('\n', " "),
                    gold_entity: gm.entity.clone(),
                    predicted: match resolved {
                        None => "unaligned".to_string(),
                        Some(None) => "null".to_string(),
                        Some(Some(id)) => id.to_string(),
                    },
                });
            }
            self.pronouns += 1;
            self.pronouns_right += right as usize;
            if third {
                self.third += 1;
                self.third_right += right as usize;
            }
        }
    }

    pub fn finish(self) -> EntityEval {
        let frac = |a: usize, b: usize| {
            if b > 0 {
                round(a as f64 / b as f64)
            } else {
                0.0
            }
        };
        EntityEval {
            documents: self.documents,
            mentions: Prf::new(
                self.aligned as f64,
                self.pred_mentions as f64,
                self.aligned as f64,
                self.gold_mentions as f64,
            ),
            b_cubed: Prf::new(self.b3_p.0, self.b3_p.1, self.b3_r.0, self.b3_r.1),
            muc: Prf::new(self.muc_p.0, self.muc_p.1, self.muc_r.0, self.muc_r.1),
            gold_entities: self.gold_entities,
            country_accuracy: frac(self.country_right, self.gold_entities),
            sector_accuracy: frac(self.sector_right, self.gold_entities),
            pronouns: self.pronouns,
            pronoun_accuracy: frac(self.pronouns_right, self.pronouns),
            pronouns_third_person: self.third,
            pronoun_accuracy_third_person: frac(self.third_right, self.third),
            places: self.places,
            place_country_accuracy: frac(self.place_country_right, self.places),
            place_within_100km: frac(self.place_near, self.places),
            errors: self.errors,
            pronoun_errors: self.pronoun_errors,
            place_errors: self.place_errors,
        }
    }
}

/// Great-circle distance.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gold::parse_article;
    use newsgraph_core::records::{EntityType, Mention, MentionKind};

    fn entity(ranges: &[(u32, u32)], country: Option<&str>, sector: Option<&str>) -> Entity {
        Entity {
            name: String::new(),
            entity_type: EntityType::Person,
            country: country.map(str::to_string),
            sector: sector.map(str::to_string),
            roles: vec![],
            place: None,
            mentions: ranges
                .iter()
                .map(|&(s, e)| Mention {
                    range: TextRange::new(s as usize, e as usize),
                    kind: MentionKind::Name,
                })
                .collect(),
        }
    }

    #[test]
    fn perfect_and_split_predictions() {
        let marked = "Title: t\nDate: 2024-01-02\n\n[Ana Ruiz]{ruiz} said [she]{ruiz} would go.";
        let json = r#"{"entities": {"ruiz": {"name": "Ana Ruiz", "type": "PERSON", "country": "ESP", "sector": "GOV"}}}"#;
        let gold = parse_article(marked, json, "t.txt").unwrap();
        let mut s = EntityScorer::new();
        s.add(
            &gold,
            &[entity(&[(0, 8), (14, 17)], Some("ESP"), Some("GOV"))],
            false,
        );
        let e = s.finish();
        assert_eq!(e.mentions.f1, 1.0);
        assert_eq!(e.b_cubed.f1, 1.0);
        assert_eq!(e.country_accuracy, 1.0);
        // The pronoun has no non-pronoun partner: a split is wrong.
        let mut s = EntityScorer::new();
        s.add(
            &gold,
            &[
                entity(&[(0, 8)], Some("ESP"), None),
                entity(&[(14, 17)], None, None),
            ],
            false,
        );
        let e = s.finish();
        assert_eq!(e.mentions.f1, 1.0);
        assert_eq!(e.muc.recall, 0.0);
        assert_eq!(e.pronoun_accuracy, 0.0);
        assert_eq!(e.sector_accuracy, 0.0);
    }
}
