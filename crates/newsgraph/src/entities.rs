//! The entity recogniser of `newsgraph-nlp` as a pipeline component.

use newsgraph_core::records::{Entity, EntityType, Mention, MentionKind};
use newsgraph_core::{Component, ComponentError, Doc, Layers, TextRange};
use newsgraph_nlp::ner::{GazKind, Gazetteer};
use newsgraph_nlp::{refine_entity_type, EntityRecognizer};
use std::collections::HashMap;

/// Assigns entity mentions, typed in the output contract's types (LOC naming a
/// country or city → GPE, nationalities → NORP, ...), grouped into one entity
/// per distinct name and type. Coreference (surnames, pronouns, titles) is a
/// later stage; countries come from the gazetteer for places, nationalities
/// and international organisations.
#[derive(Debug)]
pub struct EntityComponent {
    recognizer: EntityRecognizer,
    gazetteer: &'static Gazetteer,
}

impl EntityComponent {
    pub fn new(recognizer: EntityRecognizer) -> Self {
        EntityComponent {
            recognizer,
            gazetteer: Gazetteer::builtin(),
        }
    }

    /// The country code the gazetteer gives a name of this type, if any.
    fn country(&self, name: &str, entity_type: EntityType) -> Option<String> {
        let kinds: &[GazKind] = match entity_type {
            EntityType::Gpe | EntityType::Loc => &[
                GazKind::Country,
                GazKind::Capital,
                GazKind::City,
                GazKind::Region,
            ],
            EntityType::Norp => &[GazKind::Nationality, GazKind::Country],
            EntityType::Org => &[GazKind::Organization],
            _ => return None,
        };
        let stripped = name
            .strip_prefix("the ")
            .or_else(|| name.strip_prefix("The "))
            .unwrap_or(name);
        let code = [name, stripped].into_iter().find_map(|n| {
            self.gazetteer
                .lookup(n)
                .find(|e| kinds.contains(&e.kind))
                .and_then(|e| e.country.clone())
        })?;
        // Codes are ISO alpha-3 or PLOVER's three-letter international codes;
        // a body the gazetteer names by its own acronym (NATO) is an IGO.
        Some(if code.len() == 3 {
            code
        } else {
            "IGO".to_string()
        })
    }
}

impl Component for EntityComponent {
    fn name(&self) -> &str {
        "entities"
    }

    fn requires(&self) -> Layers {
        Layers::TOKENS | Layers::SENTENCES
    }

    fn assigns(&self) -> Layers {
        Layers::ENTITIES
    }

    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        let words: Vec<Vec<&str>> = doc
            .sentences()
            .map(|s| s.tokens().map(|t| t.text()).collect())
            .collect();
        let refs: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
        let mut spans = Vec::new();
        self.recognizer.recognize(&refs, &mut spans);
        let mut entities: Vec<Entity> = Vec::new();
        let mut by_key: HashMap<(EntityType, String), usize> = HashMap::new();
        for (s, sentence_spans) in doc.sentences().zip(&spans) {
            let first = s.token_indices().start;
            for span in sentence_spans {
                let range: TextRange = doc
                    .token(first + span.start)
                    .range()
                    .cover(doc.token(first + span.end - 1).range());
                let entity_type = refine_entity_type(
                    span.label,
                    &words[s.index()][span.start..span.end],
                    self.gazetteer,
                );
                let text = doc.slice(range);
                let key = (entity_type, text.to_lowercase());
                let i = *by_key.entry(key).or_insert_with(|| {
                    entities.push(Entity {
                        name: text.to_string(),
                        entity_type,
                        country: self.country(text, entity_type),
                        sector: None,
                        roles: Vec::new(),
                        place: None,
                        mentions: Vec::new(),
                    });
                    entities.len() - 1
                });
                entities[i].mentions.push(Mention {
                    range,
                    kind: MentionKind::Name,
                });
            }
        }
        doc.entities = entities;
        doc.mark(Layers::ENTITIES);
        Ok(())
    }
}
