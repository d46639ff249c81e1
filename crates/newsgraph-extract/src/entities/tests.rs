//! Component tests on hand-built documents (tags and parse written by hand).

use super::*;
use newsgraph_core::DocMeta;

/// Build a tagged, parsed document from `word/UPOS/XPOS/head/deprel` items
/// (heads 1-based within the sentence, 0 = root), sentences separated by `||`;
/// an item starting with `~` is written against the word before it.
fn doc(spec: &str, names: &[(&str, EntityType)]) -> Doc {
    let mut text = String::new();
    let mut tokens = Vec::new();
    let mut tags = Vec::new();
    let mut heads = Vec::new();
    let mut rels = Vec::new();
    let mut sentences = Vec::new();
    for sentence in spec.split("||") {
        let first = tokens.len() as u32;
        for item in sentence.split_whitespace() {
            let (glued, item) = item.strip_prefix('~').map_or((false, item), |i| (true, i));
            let f: Vec<&str> = item.split('/').collect();
            if !text.is_empty() && !glued {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(f[0]);
            tokens.push(TextRange::new(start, text.len()));
            tags.push((Upos::from_str(f[1]).unwrap(), Xpos::from_str(f[2]).unwrap()));
            let h: u32 = f[3].parse().unwrap();
            heads.push(if h == 0 { u32::MAX } else { first + h - 1 });
            rels.push(Deprel::from_str(f[4]).unwrap());
        }
        sentences.push(first..tokens.len() as u32);
    }
    let mut d = Doc::new(text.clone(), DocMeta::default());
    d.set_tokens(tokens).unwrap();
    d.set_sentences(&sentences).unwrap();
    d.set_tags(tags).unwrap();
    d.set_parse(heads, rels).unwrap();
    let mut entities = Vec::new();
    for (name, t) in names {
        let mut mentions = Vec::new();
        for (start, _) in text.match_indices(name) {
            let taken = |e: &Entity| {
                e.mentions
                    .iter()
                    .any(|m| m.range.start as usize <= start && start < m.range.end as usize)
            };
            if entities.iter().any(taken) {
                continue;
            }
            mentions.push(Mention {
                range: TextRange::new(start, start + name.len()),
                kind: MentionKind::Name,
            });
        }
        entities.push(Entity {
            name: name.to_string(),
            entity_type: *t,
            country: None,
            sector: None,
            roles: vec![],
            place: None,
            mentions,
        });
    }
    d.entities = entities;
    d.mark(Layers::ENTITIES);
    d
}

fn find<'a>(d: &'a Doc, name: &str) -> &'a Entity {
    d.entities
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no entity {name}: {:?}", d.entities))
}

fn texts(d: &Doc, e: &Entity) -> Vec<String> {
    e.mentions
        .iter()
        .map(|m| d.slice(m.range).to_string())
        .collect()
}

#[test]
fn title_name_compound_codes_the_person_and_surname_and_pronoun_join() {
    // "Turkish Foreign Minister Mert Aydin met envoys . || Aydin said he was hopeful ."
    let mut d = doc(
        "Turkish/ADJ/JJ/5/amod Foreign/PROPN/NNP/3/compound Minister/PROPN/NNP/5/compound Mert/PROPN/NNP/5/compound Aydin/PROPN/NNP/6/nsubj met/VERB/VBD/0/root envoys/NOUN/NNS/6/obj ./PUNCT/./6/punct \
         || Aydin/PROPN/NNP/2/nsubj said/VERB/VBD/0/root he/PRON/PRP/5/nsubj was/AUX/VBD/5/cop hopeful/ADJ/JJ/2/ccomp ./PUNCT/./2/punct",
        &[("Mert Aydin", EntityType::Person), ("Aydin", EntityType::Person)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let a = find(&d, "Mert Aydin");
    assert_eq!(texts(&d, a), ["Mert Aydin", "Aydin", "he"]);
    assert_eq!(a.country.as_deref(), Some("TUR"));
    assert_eq!(a.sector.as_deref(), Some("GOV"));
    assert_eq!(a.roles, ["Foreign Minister"]);
    assert_eq!(a.mentions[2].kind, MentionKind::Pronoun);
}

#[test]
fn capital_as_subject_is_the_government_and_as_location_is_the_city() {
    // "Ankara rejected the plan . || Talks were held in Ankara ."
    let mut d = doc(
        "Ankara/PROPN/NNP/2/nsubj rejected/VERB/VBD/0/root the/DET/DT/4/det plan/NOUN/NN/2/obj ./PUNCT/./2/punct \
         || Talks/NOUN/NNS/3/nsubj:pass were/AUX/VBD/3/aux:pass held/VERB/VBN/0/root in/ADP/IN/5/case Ankara/PROPN/NNP/3/obl ./PUNCT/./3/punct",
        &[("Ankara", EntityType::Gpe)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(d.entities.len(), 2, "{:?}", d.entities);
    let gov = &d.entities[0];
    assert_eq!(
        (
            gov.entity_type,
            gov.country.as_deref(),
            gov.sector.as_deref()
        ),
        (EntityType::Org, Some("TUR"), Some("GOV"))
    );
    assert!(gov.place.is_none());
    let city = &d.entities[1];
    assert_eq!(
        (
            city.entity_type,
            city.country.as_deref(),
            city.sector.as_deref()
        ),
        (EntityType::Gpe, Some("TUR"), None)
    );
    assert_eq!(city.place.as_ref().unwrap().feature, "capital");
}

#[test]
fn nominal_groups_take_nationality_and_sector_and_definite_ones_corefer() {
    // "Kenyan police fired tear gas . || The police said they had been attacked ."
    let mut d = doc(
        "Kenyan/ADJ/JJ/2/amod police/NOUN/NNS/3/nsubj fired/VERB/VBD/0/root tear/NOUN/NN/5/compound gas/NOUN/NN/3/obj ./PUNCT/./3/punct \
         || The/DET/DT/2/det police/NOUN/NNS/3/nsubj said/VERB/VBD/0/root they/PRON/PRP/7/nsubj:pass had/AUX/VBD/7/aux been/AUX/VBN/7/aux:pass attacked/VERB/VBN/3/ccomp ./PUNCT/./3/punct",
        &[],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(d.entities.len(), 1, "{:?}", d.entities);
    let p = &d.entities[0];
    assert_eq!(texts(&d, p), ["Kenyan police", "The police", "they"]);
    assert_eq!(
        (p.country.as_deref(), p.sector.as_deref()),
        (Some("KEN"), Some("COP"))
    );
}

#[test]
fn apposition_with_a_former_title_codes_elite() {
    // "Lena Varga , a former Hungarian minister , said she would run ."
    let mut d = doc(
        "Lena/PROPN/NNP/9/nsubj Varga/PROPN/NNP/1/flat ,/PUNCT/,/7/punct a/DET/DT/7/det former/ADJ/JJ/7/amod Hungarian/ADJ/JJ/7/amod minister/NOUN/NN/1/appos ,/PUNCT/,/7/punct said/VERB/VBD/0/root she/PRON/PRP/12/nsubj would/AUX/MD/12/aux run/VERB/VB/9/ccomp ./PUNCT/./9/punct",
        &[("Lena Varga", EntityType::Person)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let v = find(&d, "Lena Varga");
    assert_eq!(
        texts(&d, v),
        ["Lena Varga", "a former Hungarian minister", "she"]
    );
    assert_eq!(
        (v.country.as_deref(), v.sector.as_deref()),
        (Some("HUN"), Some("ELI"))
    );
}

#[test]
fn acronym_in_parentheses_and_the_alliance() {
    // "The Northern Defence Pact ( NDP ) met . || The alliance said NDP would act ."
    let mut d = doc(
        "The/DET/DT/4/det Northern/PROPN/NNP/4/compound Defence/PROPN/NNP/4/compound Pact/PROPN/NNP/9/nsubj (/PUNCT/-LRB-/6/punct NDP/PROPN/NNP/4/appos )/PUNCT/-RRB-/6/punct met/VERB/VBD/0/root ./PUNCT/./8/punct \
         || The/DET/DT/2/det alliance/NOUN/NN/3/nsubj said/VERB/VBD/0/root NDP/PROPN/NNP/6/nsubj would/AUX/MD/6/aux act/VERB/VB/3/ccomp ./PUNCT/./3/punct",
        &[("Northern Defence Pact", EntityType::Org), ("NDP", EntityType::Org)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(d.entities.len(), 1, "{:?}", d.entities);
    assert_eq!(
        texts(&d, &d.entities[0]),
        ["Northern Defence Pact", "NDP", "The alliance", "NDP"]
    );
}

#[test]
fn pronoun_gender_skips_an_incompatible_subject() {
    // "Maria Lopez met Ivan Petrov . || He thanked her ."
    let mut d = doc(
        "Maria/PROPN/NNP/3/nsubj Lopez/PROPN/NNP/1/flat met/VERB/VBD/0/root Ivan/PROPN/NNP/3/obj Petrov/PROPN/NNP/4/flat ./PUNCT/./3/punct \
         || He/PRON/PRP/2/nsubj thanked/VERB/VBD/0/root her/PRON/PRP/2/obj ./PUNCT/./2/punct",
        &[("Maria Lopez", EntityType::Person), ("Ivan Petrov", EntityType::Person)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(texts(&d, find(&d, "Ivan Petrov")), ["Ivan Petrov", "He"]);
    assert_eq!(texts(&d, find(&d, "Maria Lopez")), ["Maria Lopez", "her"]);
}

#[test]
fn water_bodies_are_told_from_towns() {
    for w in [
        "Black Sea",
        "the Gulf of Aden",
        "Strait of Hormuz",
        "Bay of Bengal",
        "Lake Chad",
        "Niger River",
    ] {
        assert!(is_water_body(w), "{w}");
    }
    for t in [
        "Port Harcourt",
        "Montego Bay",
        "Salt Lake City",
        "Rivers State",
        "Sochi",
    ] {
        assert!(!is_water_body(t), "{t}");
    }
}

#[test]
fn a_story_filed_from_a_hub_takes_the_country_it_is_about() {
    // "VIENNA , May 2 - Peru protested . || Peru and Chile met in Lima . ||
    //  The police said Peru would respond ." The dateline places the desk,
    // not the story: the unqualified police are Peru's.
    let mut d = doc(
        "VIENNA/PROPN/NNP/7/obl ,/PUNCT/,/1/punct May/PROPN/NNP/1/appos 2/NUM/CD/3/nummod -/PUNCT/:/7/punct Peru/PROPN/NNP/7/nsubj protested/VERB/VBD/0/root ./PUNCT/./7/punct \
         || Peru/PROPN/NNP/4/nsubj and/CCONJ/CC/3/cc Chile/PROPN/NNP/1/conj met/VERB/VBD/0/root in/ADP/IN/6/case Lima/PROPN/NNP/4/obl ./PUNCT/./4/punct \
         || The/DET/DT/2/det police/NOUN/NNS/3/nsubj said/VERB/VBD/0/root Peru/PROPN/NNP/6/nsubj would/AUX/MD/6/aux respond/VERB/VB/3/ccomp ./PUNCT/./3/punct",
        &[
            ("VIENNA", EntityType::Gpe),
            ("Peru", EntityType::Gpe),
            ("Chile", EntityType::Gpe),
            ("Lima", EntityType::Gpe),
        ],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let police = find(&d, "The police");
    assert_eq!(
        (police.country.as_deref(), police.sector.as_deref()),
        (Some("PER"), Some("COP"))
    );
    // The dateline and the first country are two entities.
    assert_eq!(texts(&d, find(&d, "VIENNA")), ["VIENNA"]);
}

#[test]
fn ranks_after_roles_and_officials_of_intergovernmental_bodies() {
    // "IAEA Director General Rolf Amsel spoke . || Defence Minister General
    //  Omar Sale spoke . || Ana Kowal , a retired general , said ."
    let mut d = doc(
        "IAEA/PROPN/NNP/4/compound Director/PROPN/NNP/4/compound General/PROPN/NNP/4/compound Rolf/PROPN/NNP/6/nsubj Amsel/PROPN/NNP/4/flat spoke/VERB/VBD/0/root ./PUNCT/./6/punct \
         || Defence/PROPN/NNP/2/compound Minister/PROPN/NNP/4/compound General/PROPN/NNP/4/compound Omar/PROPN/NNP/6/nsubj Sale/PROPN/NNP/4/flat spoke/VERB/VBD/0/root ./PUNCT/./6/punct \
         || Ana/PROPN/NNP/8/nsubj Kowal/PROPN/NNP/1/flat ,/PUNCT/,/6/punct a/DET/DT/6/det retired/ADJ/JJ/6/amod general/NOUN/NN/1/appos ,/PUNCT/,/6/punct said/VERB/VBD/0/root ./PUNCT/./8/punct",
        &[
            ("IAEA", EntityType::Org),
            ("Rolf Amsel", EntityType::Person),
            ("Omar Sale", EntityType::Person),
            ("Ana Kowal", EntityType::Person),
        ],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let amsel = find(&d, "Rolf Amsel");
    assert_eq!(
        (amsel.country.as_deref(), amsel.sector.as_deref()),
        (Some("IGO"), Some("GOV"))
    );
    assert_eq!(find(&d, "Omar Sale").sector.as_deref(), Some("GOV"));
    assert_eq!(find(&d, "Ana Kowal").sector.as_deref(), Some("ELI"));
}

#[test]
fn a_person_typed_as_organisation_with_a_title_apposition_is_a_person() {
    // "Tomas Brenn , a former Czech defence minister , said ." (the
    // recogniser called the name an organisation)
    let mut d = doc(
        "Tomas/PROPN/NNP/10/nsubj Brenn/PROPN/NNP/1/flat ,/PUNCT/,/8/punct a/DET/DT/8/det former/ADJ/JJ/8/amod Czech/ADJ/JJ/8/amod defence/NOUN/NN/8/compound minister/NOUN/NN/1/appos ,/PUNCT/,/8/punct said/VERB/VBD/0/root ./PUNCT/./10/punct",
        &[("Tomas Brenn", EntityType::Org)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let b = find(&d, "Tomas Brenn");
    assert_eq!(
        (b.entity_type, b.country.as_deref(), b.sector.as_deref()),
        (EntityType::Person, Some("CZE"), Some("ELI"))
    );
}

#[test]
fn places_side_by_side_stay_apart_and_a_nationality_codes_the_ministry() {
    // "Talks were held in Antalya , Turkey . || The Russian Defence Ministry said ."
    let mut d = doc(
        "Talks/NOUN/NNS/3/nsubj:pass were/AUX/VBD/3/aux:pass held/VERB/VBN/0/root in/ADP/IN/5/case Antalya/PROPN/NNP/3/obl ,/PUNCT/,/7/punct Turkey/PROPN/NNP/5/appos ./PUNCT/./3/punct \
         || The/DET/DT/4/det Russian/ADJ/JJ/4/amod Defence/PROPN/NNP/4/compound Ministry/PROPN/NNP/5/nsubj said/VERB/VBD/0/root ./PUNCT/./5/punct",
        &[
            ("Antalya", EntityType::Gpe),
            ("Turkey", EntityType::Gpe),
            ("Defence Ministry", EntityType::Org),
        ],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(texts(&d, find(&d, "Antalya")), ["Antalya"]);
    assert_eq!(texts(&d, find(&d, "Turkey")), ["Turkey"]);
    let m = find(&d, "Defence Ministry");
    assert_eq!(
        (m.country.as_deref(), m.sector.as_deref()),
        (Some("RUS"), Some("GOV"))
    );
}

#[test]
fn a_party_called_the_opposition_is_opp() {
    // "The Civic Party , the largest opposition party , objected ."
    let mut d = doc(
        "The/DET/DT/3/det Civic/PROPN/NNP/3/compound Party/PROPN/NNP/10/nsubj ,/PUNCT/,/8/punct the/DET/DT/8/det largest/ADJ/JJS/8/amod opposition/NOUN/NN/8/compound party/NOUN/NN/3/appos ,/PUNCT/,/8/punct objected/VERB/VBD/0/root ./PUNCT/./10/punct",
        &[("Civic Party", EntityType::Org)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let u = find(&d, "Civic Party");
    assert_eq!(u.sector.as_deref(), Some("OPP"), "{:?}", d.entities);
}

#[test]
fn object_pronoun_never_refers_to_its_own_clause_subject() {
    // "Aydin met Vos . || Aydin thanked him ."
    let mut d = doc(
        "Aydin/PROPN/NNP/2/nsubj met/VERB/VBD/0/root Vos/PROPN/NNP/2/obj ./PUNCT/./2/punct \
         || Aydin/PROPN/NNP/2/nsubj thanked/VERB/VBD/0/root him/PRON/PRP/2/obj ./PUNCT/./2/punct",
        &[("Aydin", EntityType::Person), ("Vos", EntityType::Person)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(texts(&d, find(&d, "Vos")), ["Vos", "him"]);
    assert_eq!(texts(&d, find(&d, "Aydin")), ["Aydin", "Aydin"]);
}

#[test]
fn object_of_a_participle_skips_the_subject_it_hangs_on() {
    // "Aydin criticised Vos . || Aydin resigned , accusing him of lying ."
    let mut d = doc(
        "Aydin/PROPN/NNP/2/nsubj criticised/VERB/VBD/0/root Vos/PROPN/NNP/2/obj ./PUNCT/./2/punct \
         || Aydin/PROPN/NNP/2/nsubj resigned/VERB/VBD/0/root ,/PUNCT/,/4/punct accusing/VERB/VBG/2/advcl him/PRON/PRP/4/obj of/SCONJ/IN/7/mark lying/VERB/VBG/4/advcl ./PUNCT/./2/punct",
        &[("Aydin", EntityType::Person), ("Vos", EntityType::Person)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(texts(&d, find(&d, "Vos")), ["Vos", "him"]);
}

#[test]
fn a_speaking_pronoun_continues_the_previous_speaker_not_the_quoted_subject() {
    // "“ Vos will win , ” said Aydin . || He said the count was fair ."
    let mut d = doc(
        "“/PUNCT/``/4/punct Vos/PROPN/NNP/4/nsubj will/AUX/MD/4/aux win/VERB/VB/7/ccomp ,/PUNCT/,/4/punct ”/PUNCT/''/4/punct said/VERB/VBD/0/root Aydin/PROPN/NNP/7/nsubj ./PUNCT/./7/punct \
         || He/PRON/PRP/2/nsubj said/VERB/VBD/0/root the/DET/DT/4/det count/NOUN/NN/6/nsubj was/AUX/VBD/6/cop fair/ADJ/JJ/2/ccomp ./PUNCT/./2/punct",
        &[("Aydin", EntityType::Person), ("Vos", EntityType::Person)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(texts(&d, find(&d, "Aydin")), ["Aydin", "He"]);
    assert_eq!(texts(&d, find(&d, "Vos")), ["Vos"]);
}

#[test]
fn first_person_pronouns_in_a_quote_join_the_speaker_and_its_organisation() {
    // "Green Party leader Mert Aydin said : “ We will win and I will lead . ”"
    let mut d = doc(
        "Green/PROPN/NNP/2/compound Party/PROPN/NNP/3/compound leader/NOUN/NN/5/compound Mert/PROPN/NNP/5/compound Aydin/PROPN/NNP/6/nsubj said/VERB/VBD/0/root :/PUNCT/:/6/punct \
         “/PUNCT/``/11/punct We/PRON/PRP/11/nsubj will/AUX/MD/11/aux win/VERB/VB/6/parataxis and/CCONJ/CC/15/cc I/PRON/PRP/15/nsubj will/AUX/MD/15/aux lead/VERB/VB/11/conj ./PUNCT/./11/punct ”/PUNCT/''/11/punct",
        &[("Green Party", EntityType::Org), ("Mert Aydin", EntityType::Person)],
    );
    let text = d.text().to_string();
    let start = text.find("We").unwrap();
    let end = text.rfind('.').unwrap() + 1;
    d.quotes = vec![newsgraph_core::records::Quote {
        range: TextRange::new(start, end),
        kind: newsgraph_core::records::QuoteKind::Direct,
        speaker: Some(1),
        speaker_mention: None,
        cue: None,
    }];
    d.mark(Layers::QUOTES);
    FirstPersonResolver::new().annotate(&mut d).unwrap();
    assert_eq!(texts(&d, &d.entities[0]), ["Green Party", "We"]);
    assert_eq!(texts(&d, &d.entities[1]), ["Mert Aydin", "I"]);
    assert_eq!(d.entities[1].mentions[1].kind, MentionKind::Pronoun);

    // A speaker the recogniser typed an organisation still says "I".
    d.entities[1].mentions.truncate(1);
    d.entities[1].entity_type = EntityType::Org;
    d.entities[0].mentions.truncate(1);
    FirstPersonResolver::new().annotate(&mut d).unwrap();
    // (an organisation is its own "we")
    assert_eq!(texts(&d, &d.entities[1]), ["Mert Aydin", "We", "I"]);
}

#[test]
fn she_takes_a_person_name_the_recogniser_typed_an_organisation() {
    // "Anna Vos resigned . || She left Prague ."
    let mut d = doc(
        "Anna/PROPN/NNP/2/compound Vos/PROPN/NNP/3/nsubj resigned/VERB/VBD/0/root ./PUNCT/./3/punct \
         || She/PRON/PRP/2/nsubj left/VERB/VBD/0/root Prague/PROPN/NNP/2/obj ./PUNCT/./2/punct",
        &[("Anna Vos", EntityType::Org), ("Prague", EntityType::Gpe)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(texts(&d, find(&d, "Anna Vos")), ["Anna Vos", "She"]);
}

#[test]
fn a_plural_pronoun_without_a_plural_antecedent_takes_a_group_left_out() {
    // "The ministry said 1,800 citizens were registered and urged them to leave ."
    let mut d = doc(
        "The/DET/DT/2/det ministry/NOUN/NN/3/nsubj said/VERB/VBD/0/root 1,800/NUM/CD/5/nummod \
         citizens/NOUN/NNS/7/nsubj:pass were/AUX/VBD/7/aux:pass registered/VERB/VBN/3/ccomp \
         and/CCONJ/CC/9/cc urged/VERB/VBD/3/conj them/PRON/PRP/9/obj to/PART/TO/12/mark \
         leave/VERB/VB/9/xcomp ./PUNCT/./3/punct",
        &[],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let all: Vec<Vec<String>> = d.entities.iter().map(|e| texts(&d, e)).collect();
    assert!(
        all.contains(&vec!["1,800 citizens".to_string(), "them".to_string()]),
        "{all:?}"
    );
    assert!(
        all.iter()
            .all(|m| !(m.contains(&"them".to_string()) && m.iter().any(|t| t.contains("ministry")))),
        "{all:?}"
    );
}

#[test]
fn a_plural_group_is_no_mention_when_the_pronoun_has_a_plural_antecedent() {
    // "Protesters said 200 citizens were arrested and they left ."
    // (a subject "they" prefers the subject before it: no new mention)
    let mut d = doc(
        "Protesters/NOUN/NNS/2/nsubj said/VERB/VBD/0/root 200/NUM/CD/4/nummod \
         citizens/NOUN/NNS/6/nsubj:pass were/AUX/VBD/6/aux:pass arrested/VERB/VBN/2/ccomp \
         and/CCONJ/CC/9/cc they/PRON/PRP/9/nsubj left/VERB/VBD/2/conj ./PUNCT/./2/punct",
        &[],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let all: Vec<Vec<String>> = d.entities.iter().map(|e| texts(&d, e)).collect();
    assert!(
        all.iter().all(|m| !m.contains(&"200 citizens".to_string())),
        "{all:?}"
    );
}

#[test]
fn its_skips_a_person_the_recogniser_typed_an_organisation() {
    // "Anna Vos criticised the Council . || Its members left ."
    let mut d = doc(
        "Anna/PROPN/NNP/2/compound Vos/PROPN/NNP/3/nsubj criticised/VERB/VBD/0/root \
         the/DET/DT/5/det Council/PROPN/NNP/3/obj ./PUNCT/./3/punct \
         || Its/PRON/PRP$/2/nmod:poss members/NOUN/NNS/3/nsubj left/VERB/VBD/0/root ./PUNCT/./3/punct",
        &[("Anna Vos", EntityType::Org), ("Council", EntityType::Org)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(texts(&d, find(&d, "Anna Vos")), ["Anna Vos"]);
    assert!(texts(&d, find(&d, "Council")).contains(&"Its".to_string()));
}

#[test]
fn actor_plurals_are_told_from_things() {
    use super::pronouns::actor_plural;
    for w in [
        "supporters",
        "inspectors",
        "citizens",
        "activists",
        "civilians",
        "people",
    ] {
        assert!(actor_plural(w), "{w}");
    }
    for w in ["borders", "orders", "talks", "weapons", "plans", "measures"] {
        assert!(!actor_plural(w), "{w}");
    }
}

#[test]
fn kind_words_widen_place_names_and_misc_places_become_places() {
    // "Bombers moved to the Velsk air base near Murmansk . || Boats sailed on the
    // Barents Sea from Kirkenes ."
    let mut d = doc(
        "Bombers/NOUN/NNS/2/nsubj moved/VERB/VBD/0/root to/ADP/IN/7/case the/DET/DT/7/det Velsk/PROPN/NNP/7/compound air/NOUN/NN/7/compound base/NOUN/NN/2/obl near/ADP/IN/9/case Murmansk/PROPN/NNP/7/nmod ./PUNCT/./2/punct \
         || Boats/NOUN/NNS/2/nsubj sailed/VERB/VBD/0/root on/ADP/IN/6/case the/DET/DT/6/det Barents/PROPN/NNP/6/compound Sea/PROPN/NNP/2/obl from/ADP/IN/8/case Kirkenes/PROPN/NNP/2/obl ./PUNCT/./2/punct",
        &[
            ("Velsk", EntityType::Misc),
            ("Murmansk", EntityType::Gpe),
            ("Barents Sea", EntityType::Org),
            ("Kirkenes", EntityType::Misc),
        ],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    // The facility takes its kind word, and its place and country from the
    // town it is near.
    let base = find(&d, "Velsk air base");
    assert_eq!(base.entity_type, EntityType::Fac);
    assert_eq!(base.country.as_deref(), Some("RUS"));
    assert_eq!(base.place.as_ref().unwrap().name, "Murmansk");
    // A sea typed ORG is a sea of no country.
    let sea = find(&d, "Barents Sea");
    assert_eq!(sea.entity_type, EntityType::Loc);
    assert_eq!(sea.country, None);
    assert_eq!(sea.place.as_ref().unwrap().feature, "water");
    // A town typed MISC after "from" is a place.
    let town = find(&d, "Kirkenes");
    assert_eq!(town.place.as_ref().unwrap().country.as_deref(), Some("NOR"));
}

#[test]
fn a_formal_state_name_cut_at_of_is_one_name() {
    // "The Democratic Republic of Congo thanked the Republic of Moldova ."
    let mut d = doc(
        "The/DET/DT/3/det Democratic/PROPN/NNP/3/amod Republic/PROPN/NNP/6/nsubj of/ADP/IN/5/case Congo/PROPN/NNP/3/nmod thanked/VERB/VBD/0/root \
         the/DET/DT/8/det Republic/PROPN/NNP/6/obj of/ADP/IN/10/case Moldova/PROPN/NNP/8/nmod ./PUNCT/./6/punct",
        &[
            ("Democratic Republic", EntityType::Loc),
            ("Congo", EntityType::Gpe),
            ("Republic", EntityType::Loc),
            ("Moldova", EntityType::Gpe),
        ],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let codes: Vec<(&str, Option<&str>)> = d
        .entities
        .iter()
        .map(|e| (e.name.as_str(), e.country.as_deref()))
        .collect();
    assert!(
        codes.contains(&("Democratic Republic of Congo", Some("COD"))),
        "{codes:?}"
    );
    assert!(codes.contains(&("Moldova", Some("MDA"))), "{codes:?}");
    assert!(!codes.iter().any(|(n, _)| *n == "Republic"), "{codes:?}");
}

#[test]
fn a_group_from_a_named_body_or_state_takes_its_code() {
    // "Observers from the European Union said . || Troops from many countries came ."
    let mut d = doc(
        "Observers/NOUN/NNS/6/nsubj from/ADP/IN/5/case the/DET/DT/5/det European/PROPN/NNP/5/compound Union/PROPN/NNP/1/nmod said/VERB/VBD/0/root ./PUNCT/./6/punct \
         || Troops/NOUN/NNS/5/nsubj from/ADP/IN/4/case many/ADJ/JJ/4/amod countries/NOUN/NNS/1/nmod came/VERB/VBD/0/root ./PUNCT/./5/punct",
        &[("European Union", EntityType::Org)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    assert_eq!(find(&d, "Observers").country.as_deref(), Some("EUR"));
    assert_eq!(find(&d, "Troops").country, None);
}

#[test]
fn names_cut_at_a_hyphen_or_a_particle_are_whole() {
    // "Negotiator Fadl al-Qadhi met envoy Kwabena Asante-Mensah . ||
    //  Asante-Mensah thanked al-Qadhi before the U.S.-China talks ."
    let mut d = doc(
        "Negotiator/NOUN/NN/2/compound Fadl/PROPN/NNP/6/nsubj al/PROPN/NNP/2/flat ~-/PUNCT/HYPH/5/punct ~Qadhi/PROPN/NNP/2/flat \
         met/VERB/VBD/0/root envoy/NOUN/NN/6/obj Kwabena/PROPN/NNP/7/appos Asante/PROPN/NNP/8/flat ~-/PUNCT/HYPH/11/punct ~Mensah/PROPN/NNP/8/flat ./PUNCT/./6/punct \
         || Asante/PROPN/NNP/4/nsubj ~-/PUNCT/HYPH/3/punct ~Mensah/PROPN/NNP/1/flat thanked/VERB/VBD/0/root al/PROPN/NNP/4/obj ~-/PUNCT/HYPH/7/punct ~Qadhi/PROPN/NNP/5/flat \
         before/ADP/IN/13/case the/DET/DT/13/det U.S./PROPN/NNP/13/compound ~-/PUNCT/HYPH/12/punct ~China/PROPN/NNP/13/compound talks/NOUN/NNS/4/obl ./PUNCT/./4/punct",
        &[
            ("Fadl", EntityType::Person),
            ("Qadhi", EntityType::Person),
            ("Kwabena Asante", EntityType::Person),
            ("Asante", EntityType::Person),
            ("Mensah", EntityType::Person),
            ("U.S.", EntityType::Gpe),
            ("China", EntityType::Gpe),
        ],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let q = find(&d, "Fadl al-Qadhi");
    assert_eq!(texts(&d, q), ["Fadl al-Qadhi", "al-Qadhi"]);
    let a = find(&d, "Kwabena Asante-Mensah");
    assert_eq!(texts(&d, a), ["Kwabena Asante-Mensah", "Asante-Mensah"]);
    // Two states joined by a hyphen stay two.
    assert_eq!(find(&d, "U.S.").country.as_deref(), Some("USA"));
    assert_eq!(find(&d, "China").country.as_deref(), Some("CHN"));
}

#[test]
fn organisation_kind_words_and_numbers_end_the_name() {
    // "The Green Farmers' Party backed the Kambarata-1 plant , Al-Masirah
    //  television said . || The Green Farmers said no ."
    let mut d = doc(
        "The/DET/DT/5/det Green/ADJ/JJ/3/amod Farmers/PROPN/NNPS/5/nmod:poss ~'/PART/POS/3/case Party/PROPN/NNP/6/nsubj \
         backed/VERB/VBD/0/root the/DET/DT/11/det Kambarata/PROPN/NNP/11/compound ~-/PUNCT/HYPH/10/punct ~1/NUM/CD/8/flat plant/NOUN/NN/6/obj \
         ,/PUNCT/,/6/punct Al/PROPN/NNP/15/compound ~-/PUNCT/HYPH/15/punct ~Masirah/PROPN/NNP/16/compound television/NOUN/NN/17/nsubj said/VERB/VBD/6/parataxis ./PUNCT/./6/punct \
         || The/DET/DT/3/det Green/ADJ/JJ/3/amod Farmers/PROPN/NNPS/4/nsubj said/VERB/VBD/0/root no/INTJ/UH/4/obj ./PUNCT/./4/punct",
        &[
            ("Green Farmers", EntityType::Misc),
            ("Kambarata", EntityType::Org),
            ("Al", EntityType::Loc),
            ("Masirah", EntityType::Loc),
        ],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let party = d
        .entities
        .iter()
        .find(|e| texts(&d, e).contains(&"Green Farmers' Party".to_string()))
        .unwrap_or_else(|| panic!("{:?}", d.entities));
    assert_eq!(party.entity_type, EntityType::Org);
    assert!(
        d.entities.iter().any(|e| e.entity_type == EntityType::Org
            && texts(&d, e).contains(&"Green Farmers".to_string())),
        "{:?}",
        d.entities
    );
    assert_eq!(find(&d, "Kambarata-1").mentions.len(), 1);
    assert_eq!(
        find(&d, "Al-Masirah television").entity_type,
        EntityType::Org
    );
}

#[test]
fn a_body_owned_by_a_named_state_is_that_state_s_not_another_s() {
    // "Russian military intelligence paid him . || Estonia 's foreign
    //  intelligence service said ." The second body is Estonia's: it must
    //  not join the first because both are intelligence bodies.
    let mut d = doc(
        "Russian/ADJ/JJ/3/amod military/ADJ/JJ/3/amod intelligence/NOUN/NN/4/nsubj paid/VERB/VBD/0/root him/PRON/PRP/4/obj ./PUNCT/./4/punct \
         || Estonia/PROPN/NNP/5/nmod:poss 's/PART/POS/1/case foreign/ADJ/JJ/5/amod intelligence/NOUN/NN/5/compound service/NOUN/NN/6/nsubj said/VERB/VBD/0/root ./PUNCT/./6/punct",
        &[("Estonia", EntityType::Gpe)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let gru = find(&d, "Russian military intelligence");
    assert_eq!(
        (gru.country.as_deref(), gru.sector.as_deref()),
        (Some("RUS"), Some("SPY"))
    );
    assert_eq!(texts(&d, gru), ["Russian military intelligence"]);
    let service = d
        .entities
        .iter()
        .find(|e| e.name.ends_with("foreign intelligence service"))
        .unwrap_or_else(|| panic!("{:?}", d.entities));
    assert_eq!(service.country.as_deref(), Some("EST"));
}

#[test]
fn prisoners_and_village_chiefs_are_the_story_s_own() {
    // "LIMA , May 2 - Peru freed 40 prisoners . || Village chiefs welcomed
    // them ." Both groups are mentions; prisoners are held in the home
    // country's jails, village chiefs are its civilians.
    let mut d = doc(
        "LIMA/PROPN/NNP/7/obl ,/PUNCT/,/1/punct May/PROPN/NNP/1/appos 2/NUM/CD/3/nummod -/PUNCT/:/7/punct Peru/PROPN/NNP/7/nsubj freed/VERB/VBD/0/root 40/NUM/CD/9/nummod prisoners/NOUN/NNS/7/obj ./PUNCT/./7/punct \
         || Village/NOUN/NN/2/compound chiefs/NOUN/NNS/3/nsubj welcomed/VERB/VBD/0/root them/PRON/PRP/3/obj ./PUNCT/./3/punct",
        &[("LIMA", EntityType::Gpe), ("Peru", EntityType::Gpe)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let prisoners = find(&d, "40 prisoners");
    assert_eq!(prisoners.country.as_deref(), Some("PER"));
    let chiefs = find(&d, "Village chiefs");
    assert_eq!(
        (chiefs.country.as_deref(), chiefs.sector.as_deref()),
        (Some("PER"), Some("CVL"))
    );
}

#[test]
fn an_embassy_in_a_city_is_the_sending_state_s_through_its() {
    // "NAIROBI , May 2 - Norway sent tents , its embassy in Nairobi said .
    // || The government thanked Oslo ." The embassy is Norway's (its), not
    // Kenya's because it sits in Nairobi; Kenya's government is not it.
    let mut d = doc(
        "NAIROBI/PROPN/NNP/7/obl ,/PUNCT/,/1/punct May/PROPN/NNP/1/appos 2/NUM/CD/3/nummod -/PUNCT/:/7/punct Norway/PROPN/NNP/7/nsubj sent/VERB/VBD/14/ccomp tents/NOUN/NNS/7/obj ,/PUNCT/,/7/punct its/PRON/PRP$/11/nmod:poss embassy/NOUN/NN/14/nsubj in/ADP/IN/13/case Nairobi/PROPN/NNP/11/nmod said/VERB/VBD/0/root ./PUNCT/./14/punct \
         || The/DET/DT/2/det government/NOUN/NN/3/nsubj thanked/VERB/VBD/0/root Oslo/PROPN/NNP/3/obj ./PUNCT/./3/punct",
        &[
            ("NAIROBI", EntityType::Gpe),
            ("Norway", EntityType::Gpe),
            ("Nairobi", EntityType::Gpe),
            ("Oslo", EntityType::Gpe),
        ],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let embassy = d
        .entities
        .iter()
        .find(|e| texts(&d, e).iter().any(|t| t == "its embassy"))
        .unwrap_or_else(|| panic!("{:?}", d.entities));
    assert_eq!(
        (embassy.country.as_deref(), embassy.sector.as_deref()),
        (Some("NOR"), Some("GOV"))
    );
    assert_eq!(texts(&d, embassy), ["its embassy"]);
    assert_eq!(texts(&d, find(&d, "Norway")), ["Norway", "its"]);
}

#[test]
fn its_mission_is_never_the_host_s_and_its_ambassador_not_another_s() {
    // "Estonia 's ambassador left Moscow . || Estonia will close the Russian
    // consulate in Narva if Moscow shuts its consulate in Pskov . || Moscow
    // has not recalled its ambassador in Tallinn ." A consulate in Pskov is
    // not Moscow's although Moscow is the nearest subject; Moscow's
    // ambassador is not Estonia's ambassador.
    let mut d = doc(
        "Estonia/PROPN/NNP/3/nmod:poss ~'s/PART/POS/1/case ambassador/NOUN/NN/4/nsubj left/VERB/VBD/0/root Moscow/PROPN/NNP/4/obj ./PUNCT/./4/punct \
         || Estonia/PROPN/NNP/3/nsubj will/AUX/MD/3/aux close/VERB/VB/0/root the/DET/DT/6/det Russian/ADJ/JJ/6/amod consulate/NOUN/NN/3/obj in/ADP/IN/8/case Narva/PROPN/NNP/6/nmod if/SCONJ/IN/11/mark Moscow/PROPN/NNP/11/nsubj shuts/VERB/VBZ/3/advcl its/PRON/PRP$/13/nmod:poss consulate/NOUN/NN/11/obj in/ADP/IN/15/case Pskov/PROPN/NNP/13/nmod ./PUNCT/./3/punct \
         || Moscow/PROPN/NNP/4/nsubj has/AUX/VBZ/4/aux not/PART/RB/4/advmod recalled/VERB/VBN/0/root its/PRON/PRP$/6/nmod:poss ambassador/NOUN/NN/4/obj in/ADP/IN/8/case Tallinn/PROPN/NNP/6/nmod ./PUNCT/./4/punct",
        &[
            ("Estonia", EntityType::Gpe),
            ("Moscow", EntityType::Gpe),
            ("Narva", EntityType::Gpe),
            ("Pskov", EntityType::Gpe),
            ("Tallinn", EntityType::Gpe),
        ],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let with = |t: &str| {
        d.entities
            .iter()
            .find(|e| texts(&d, e).iter().any(|x| x == t))
            .unwrap_or_else(|| panic!("no {t}: {:?}", d.entities))
    };
    let consulate = with("its consulate");
    assert_eq!(consulate.country.as_deref(), Some("EST"));
    assert_eq!(texts(&d, consulate), ["its consulate"]);
    let ambassador = with("its ambassador");
    assert_eq!(ambassador.country.as_deref(), Some("RUS"));
    assert_eq!(texts(&d, ambassador), ["its ambassador"]);
    let theirs = with("ambassador");
    assert_eq!(theirs.country.as_deref(), Some("EST"));
    assert_eq!(texts(&d, theirs), ["ambassador"]);
    let estonia = find(&d, "Estonia");
    assert_eq!(texts(&d, estonia), ["Estonia", "Estonia", "its"]);
}

#[test]
fn a_bare_ministry_left_by_the_parser_keeps_its_words() {
    // "India 's foreign ministry said it was ready . || Anwar Hossain , a
    // former secretary at the water resources ministry , disagreed ." The
    // parser hangs "the water resources" on "secretary" and leaves
    // "ministry" bare; it is still the water resources ministry, not
    // India's foreign ministry.
    let mut d = doc(
        "India/PROPN/NNP/4/nmod:poss ~'s/PART/POS/1/case foreign/ADJ/JJ/4/amod ministry/NOUN/NN/5/nsubj said/VERB/VBD/0/root it/PRON/PRP/8/nsubj was/AUX/VBD/8/cop ready/ADJ/JJ/5/ccomp ./PUNCT/./5/punct \
         || Anwar/PROPN/NNP/13/nsubj Hossain/PROPN/NNP/1/flat ,/PUNCT/,/6/punct a/DET/DT/6/det former/ADJ/JJ/6/amod secretary/NOUN/NN/1/appos at/ADP/IN/10/case the/DET/DT/10/det water/NOUN/NN/10/compound resources/NOUN/NNS/6/nmod ministry/NOUN/NN/6/nmod ,/PUNCT/,/1/punct disagreed/VERB/VBD/0/root ./PUNCT/./13/punct",
        &[("India", EntityType::Gpe), ("Anwar Hossain", EntityType::Person)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let water = d
        .entities
        .iter()
        .find(|e| {
            texts(&d, e)
                .iter()
                .any(|t| t == "the water resources ministry")
        })
        .unwrap_or_else(|| panic!("{:?}", d.entities));
    assert_ne!(water.country.as_deref(), Some("IND"));
    assert_eq!(texts(&d, water), ["the water resources ministry"]);
}

#[test]
fn a_body_met_indefinitely_is_not_the_government_later() {
    // "A list was drawn up in an office in Brussels . || The government
    // rejected the list ." "an office" is a room, and no sector makes it
    // the government.
    let mut d = doc(
        "A/DET/DT/2/det list/NOUN/NN/5/nsubj:pass was/AUX/VBD/5/aux:pass drawn/VERB/VBN/5/compound:prt up/ADP/RP/0/root in/ADP/IN/8/case an/DET/DT/8/det office/NOUN/NN/5/obl in/ADP/IN/10/case Brussels/PROPN/NNP/8/nmod ./PUNCT/./5/punct \
         || The/DET/DT/2/det government/NOUN/NN/3/nsubj rejected/VERB/VBD/0/root the/DET/DT/5/det list/NOUN/NN/3/obj ./PUNCT/./3/punct",
        &[("Brussels", EntityType::Gpe)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let government = d
        .entities
        .iter()
        .find(|e| texts(&d, e).iter().any(|t| t == "The government"))
        .unwrap_or_else(|| panic!("{:?}", d.entities));
    assert_eq!(texts(&d, government), ["The government"]);
}

#[test]
fn the_government_is_the_home_government_named_before() {
    // "LIMA , May 2 - Lima rejected the plan . || The government thanked the
    // bank ." A bare "the government" in a story from Peru, after Lima
    // stood for Peru's government, is that government.
    let mut d = doc(
        "LIMA/PROPN/NNP/7/obl ,/PUNCT/,/1/punct May/PROPN/NNP/1/appos 2/NUM/CD/3/nummod -/PUNCT/:/7/punct Lima/PROPN/NNP/7/nsubj rejected/VERB/VBD/0/root the/DET/DT/9/det plan/NOUN/NN/7/obj ./PUNCT/./7/punct \
         || The/DET/DT/2/det government/NOUN/NN/3/nsubj thanked/VERB/VBD/0/root the/DET/DT/5/det bank/NOUN/NN/3/obj ./PUNCT/./3/punct",
        &[("LIMA", EntityType::Gpe), ("Lima", EntityType::Gpe)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let government = d
        .entities
        .iter()
        .find(|e| texts(&d, e).iter().any(|t| t == "The government"))
        .unwrap_or_else(|| panic!("{:?}", d.entities));
    assert_eq!(texts(&d, government), ["Lima", "The government"]);
    assert_eq!(
        (government.country.as_deref(), government.sector.as_deref()),
        (Some("PER"), Some("GOV"))
    );
}

#[test]
fn a_dateline_without_a_comma_is_no_government() {
    // "KYIV - Police detained three protesters ." The parser makes the
    // dateline's place the subject; it is where the story was filed, not
    // Ukraine's government, and it makes Ukraine the home country.
    let mut d = doc(
        "KYIV/PROPN/NNP/4/nsubj -/PUNCT/:/4/punct Police/NOUN/NNS/4/nsubj detained/VERB/VBD/0/root three/NUM/CD/6/nummod protesters/NOUN/NNS/4/obj ./PUNCT/./4/punct",
        &[("KYIV", EntityType::Gpe)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let kyiv = find(&d, "KYIV");
    assert_eq!(
        (kyiv.entity_type, kyiv.sector.as_deref()),
        (EntityType::Gpe, None)
    );
    let police = find(&d, "Police");
    assert_eq!(police.country.as_deref(), Some("UKR"));
}

#[test]
fn an_unnamed_landmark_stands_in_the_dateline_s_town() {
    // "LUSAKA , May 2 - Zambia 's police fired tear gas outside the
    // courthouse ." The courthouse is in Lusaka, where the story was filed.
    let mut d = doc(
        "LUSAKA/PROPN/NNP/9/obl ,/PUNCT/,/1/punct May/PROPN/NNP/1/appos 2/NUM/CD/3/nummod -/PUNCT/:/9/punct Zambia/PROPN/NNP/8/nmod:poss ~'s/PART/POS/6/case police/NOUN/NNS/9/nsubj fired/VERB/VBD/0/root tear/NOUN/NN/11/compound gas/NOUN/NN/9/obj outside/ADP/IN/14/case the/DET/DT/14/det courthouse/NOUN/NN/9/obl ./PUNCT/./9/punct",
        &[("LUSAKA", EntityType::Gpe), ("Zambia", EntityType::Gpe)],
    );
    EntityResolver::new().annotate(&mut d).unwrap();
    let courthouse = find(&d, "the courthouse");
    assert_eq!(courthouse.entity_type, EntityType::Fac);
    let place = courthouse
        .place
        .as_ref()
        .unwrap_or_else(|| panic!("{courthouse:?}"));
    assert_eq!(place.country.as_deref(), Some("ZMB"));
    assert!(
        (place.lat + 15.4).abs() < 0.5 && (place.lon - 28.3).abs() < 0.5,
        "{place:?}"
    );
}
