//! PLOVER events from the standard pipeline on invented sentences: types,
//! modalities and roles. Accuracy on the dev set is `newsgraph eval events`;
//! these pin down behaviour the extractor is built for.

use newsgraph_core::records::{Event, EventType, Modality};
use newsgraph_core::Doc;

mod common;

fn run(text: &str) -> Doc {
    common::run(text, Some("2024-05-16"))
}

/// The event of this type, which must exist.
fn find(doc: &Doc, t: EventType) -> &Event {
    doc.events
        .iter()
        .find(|e| e.event_type == t)
        .unwrap_or_else(|| {
            let got: Vec<_> = doc
                .events
                .iter()
                .map(|e| format!("{} {:?}", e.event_type, doc.slice(e.trigger)))
                .collect();
            panic!("no {t} in {:?}; got {got:?}", doc.text())
        })
}

/// Whether the document has an event of this type.
fn has(doc: &Doc, t: EventType) -> bool {
    doc.events.iter().any(|e| e.event_type == t)
}

fn sources(doc: &Doc, e: &Event) -> Vec<String> {
    e.source
        .iter()
        .map(|a| doc.slice(a.range).to_string())
        .collect()
}

fn targets(doc: &Doc, e: &Event) -> Vec<String> {
    e.target
        .iter()
        .map(|a| doc.slice(a.range).to_string())
        .collect()
}

#[test]
fn one_sentence_per_type() {
    let cases = [
        (
            "The two governments agreed to reopen the border crossing.",
            EventType::Agree,
        ),
        (
            "Foreign Minister Selim Varga met his Austrian counterpart in Vienna.",
            EventType::Consult,
        ),
        (
            "The president praised the mediators for their patience.",
            EventType::Support,
        ),
        (
            "The government lifted sanctions on the northern province.",
            EventType::Concede,
        ),
        (
            "The two navies agreed to share intelligence on smuggling routes.",
            EventType::Agree,
        ),
        (
            "Japan sent 20 tonnes of food aid to the flooded region.",
            EventType::Aid,
        ),
        (
            "The rebels released 12 hostages near the border.",
            EventType::Retreat,
        ),
        (
            "The opposition called on the president to resign.",
            EventType::Request,
        ),
        (
            "The minister accused the army of abuses.",
            EventType::Accuse,
        ),
        ("The junta rejected the proposal.", EventType::Reject),
        (
            "The militia threatened to attack the capital.",
            EventType::Threaten,
        ),
        (
            "Thousands of teachers protested in the capital.",
            EventType::Protest,
        ),
        (
            "The European Union imposed sanctions on three generals.",
            EventType::Sanction,
        ),
        (
            "The army deployed troops along the frontier.",
            EventType::Mobilize,
        ),
        (
            "Police arrested the opposition leader at his home.",
            EventType::Coerce,
        ),
        (
            "Gunmen killed four villagers in the north of the country.",
            EventType::Assault,
        ),
    ];
    for (text, t) in cases {
        let doc = run(text);
        let e = find(&doc, t);
        assert_eq!(e.modality, Modality::Asserted, "{text}");
        assert!(!e.rule.is_empty());
        assert!((0.0..=1.0).contains(&e.confidence));
    }
}

#[test]
fn roles_from_subject_object_and_obliques() {
    let doc =
        run("Foreign Minister Selim Varga met with Chancellor Anna Brenner and Mayor Paul Roth.");
    let e = find(&doc, EventType::Consult);
    assert_eq!(sources(&doc, e), ["Selim Varga"]);
    assert_eq!(targets(&doc, e).len(), 2, "{:?}", targets(&doc, e));
}

#[test]
fn passive_agent_is_the_source() {
    let doc = run("Two journalists were arrested by the police on Monday.");
    let e = find(&doc, EventType::Coerce);
    assert_eq!(sources(&doc, e), ["the police"]);
    assert_eq!(targets(&doc, e), ["Two journalists"]);
}

#[test]
fn nationality_codes_an_actor_that_is_not_a_name() {
    let doc = run("Turkish officials condemned the attack on the embassy.");
    let e = find(&doc, EventType::Accuse);
    assert_eq!(e.source[0].country.as_deref(), Some("TUR"));
    assert_eq!(e.source[0].sector.as_deref(), Some("GOV"));
}

#[test]
fn refusal_is_reject_not_negated_consult() {
    let doc = run("The prime minister refused to meet the protest leaders.");
    find(&doc, EventType::Reject);
    assert!(doc
        .events
        .iter()
        .all(|e| e.event_type != EventType::Consult));
}

#[test]
fn modalities() {
    let cases = [
        (
            "The ministers did not agree on a new border line.",
            EventType::Agree,
            Modality::Negated,
        ),
        (
            "The two sides failed to agree on a ceasefire.",
            EventType::Agree,
            Modality::Negated,
        ),
        (
            "The president will visit Nairobi next week.",
            EventType::Consult,
            Modality::Future,
        ),
        (
            "Varga plans to meet the Austrian chancellor in June.",
            EventType::Consult,
            Modality::Future,
        ),
        (
            "The bloc would lift sanctions only if the government freed the prisoners.",
            EventType::Concede,
            Modality::Conditional,
        ),
        (
            "The two leaders might meet in September.",
            EventType::Consult,
            Modality::Hypothetical,
        ),
        // Denied by what the clause or noun hangs from.
        (
            "The army denied on Monday that its helicopters had bombed the market.",
            EventType::Assault,
            Modality::Negated,
        ),
        (
            "There was no sign that rebel fighters had attacked the convoy.",
            EventType::Assault,
            Modality::Negated,
        ),
        (
            "Neither delegation agreed to a new timetable.",
            EventType::Agree,
            Modality::Negated,
        ),
        (
            "The talks ended on Friday without an agreement on water rights.",
            EventType::Agree,
            Modality::Negated,
        ),
        (
            "The council stopped short of endorsing the governor's reform plan.",
            EventType::Support,
            Modality::Negated,
        ),
        (
            "The teachers' union called off Thursday's planned strike.",
            EventType::Protest,
            Modality::Negated,
        ),
        // A cancel that is itself denied leaves the act going ahead.
        (
            "The union has not called off Thursday's planned strike.",
            EventType::Protest,
            Modality::Future,
        ),
        (
            "The ministers did not cancel the talks with Nairobi.",
            EventType::Consult,
            Modality::Asserted,
        ),
        (
            "A planned student march in Accra did not go ahead on Saturday.",
            EventType::Protest,
            Modality::Negated,
        ),
        // A threat on a condition is made all the same.
        (
            "The rebels threatened to shell the airport if the offensive continued.",
            EventType::Threaten,
            Modality::Asserted,
        ),
    ];
    for (text, t, m) in cases {
        let doc = run(text);
        assert_eq!(find(&doc, t).modality, m, "{text}");
    }
}

#[test]
fn date_from_the_governing_time_expression_else_publication() {
    let doc = run("The minister met the ambassador on Tuesday.");
    assert_eq!(
        find(&doc, EventType::Consult).date.as_deref(),
        Some("2024-05-14")
    );
    let doc = run("Police arrested the editor.");
    assert_eq!(
        find(&doc, EventType::Coerce).date.as_deref(),
        Some("2024-05-16")
    );
    let doc = run("The president will visit Nairobi.");
    assert_eq!(find(&doc, EventType::Consult).date, None);
}

#[test]
fn distractors_are_not_events() {
    for text in [
        "A lightning strike damaged the roof of the school.",
        "The singer suffered a heart attack after the concert.",
        "Floods killed dozens of people in the valley.",
        "The spokesman declined to comment on the report.",
        "The new bridge meets the needs of the town.",
    ] {
        let doc = run(text);
        assert!(doc.events.is_empty(), "{text}: {:?}", doc.events);
    }
}

#[test]
fn several_events_in_one_sentence() {
    let doc = run("The army shelled the town and police arrested dozens of protesters.");
    find(&doc, EventType::Assault);
    find(&doc, EventType::Coerce);
}

#[test]
fn a_conjoined_verb_sharing_the_subject_gives_the_place() {
    let doc = run("Foreign Minister Anna Berg met with her Georgian counterpart and laid a wreath at the war memorial in Tbilisi on Monday.");
    let e = find(&doc, EventType::Consult);
    let place = e.location.as_ref().expect("a location");
    assert_eq!(&doc.text()[place.range.as_range()], "Tbilisi");
}

/// An early year after "in" needs the tags: a name that is the subject of a
/// finite verb makes it a year ("In 348 Pachomius died"), a count of named
/// things does not ("in 20 European cities", "in 14 NATO countries").
#[test]
fn early_year_after_in_needs_a_clause() {
    let values = |text: &str| -> Vec<(String, Option<String>)> {
        let doc = run(text);
        doc.times
            .iter()
            .map(|t| (doc.slice(t.range).to_string(), t.value.clone()))
            .collect()
    };
    assert_eq!(
        values("In 348 Pachomius died in the desert monastery."),
        [("348".to_string(), Some("0348".to_string()))]
    );
    for text in [
        "Protests took place in 20 European cities.",
        "Troops are deployed in 14 NATO countries.",
        "In 12 African states, turnout fell.",
    ] {
        let found = values(text);
        assert!(found.is_empty(), "{text:?}: {found:?}");
    }
}

/// Violence aimed "at" a party: the party is the target, not the missile
/// ("tear gas", "stones"); a purpose clause names who is scattered.
#[test]
fn what_is_fired_or_thrown_is_no_target() {
    let doc =
        run("Riot police fired tear gas at hundreds of students outside the ministry on Monday.");
    let e = find(&doc, EventType::Assault);
    assert_eq!(e.mode, "crowd-control");
    assert_eq!(sources(&doc, e), ["Riot police"]);
    assert_eq!(targets(&doc, e), ["students"]);

    let doc = run("Some of the marchers threw stones at officers near the square.");
    let e = find(&doc, EventType::Assault);
    assert_eq!(e.mode, "primitive");
    assert_eq!(targets(&doc, e), ["officers"]);

    let doc =
        run("Police used water cannon to disperse the teachers who had gathered at the gate.");
    let e = find(&doc, EventType::Assault);
    assert_eq!(targets(&doc, e), ["the teachers"]);

    // "at" with a place is where, not whom.
    let doc = run("Gunmen opened fire at a checkpoint near Tessit.");
    assert!(
        doc.events.iter().all(|e| e.target.is_empty()),
        "{:?}",
        doc.events
    );
}

/// Arson and border closures.
#[test]
fn arson_and_closed_borders() {
    let doc = run("Militiamen set fire to homes and a clinic in the village of Dorra.");
    let e = find(&doc, EventType::Assault);
    assert_eq!(e.mode, "destroy");
    assert_eq!(sources(&doc, e), ["Militiamen"]);

    let doc = run("Rioters set fire to cars outside the stadium.");
    assert_eq!(find(&doc, EventType::Protest).mode, "riot");

    // Tyres burned at a roadblock are no attack on anyone.
    let doc = run("Drivers set fire to tyres on the highway.");
    assert!(doc
        .events
        .iter()
        .all(|e| e.event_type != EventType::Assault));

    let doc = run("The junta closed the country's land borders on Sunday.");
    let e = find(&doc, EventType::Coerce);
    assert_eq!(e.mode, "restrict");
}

/// A wire dateline does not spoil the parse of the lead: the lead's verb
/// keeps its subject ("police"), not the dateline's capitals.
#[test]
fn a_dateline_is_parsed_apart_from_the_lead() {
    let doc = run(
        "TESSALIA, Nov. 3 (Meridian) - Border police fired tear gas at hundreds of migrants on Tuesday.",
    );
    let e = find(&doc, EventType::Assault);
    assert_eq!(sources(&doc, e), ["Border police"]);
    assert_eq!(targets(&doc, e), ["migrants"]);
}

/// A relative clause the parser took for the main one: "which" stands for
/// the noun before its comma (the parse of this sentence made "approved"
/// the root, with "which" its subject).
#[test]
fn a_relative_pronoun_subject_is_its_antecedent() {
    let doc = run(
        "The International Monetary Fund, which approved a $1.2 billion loan to Kenya in January, declined to comment.",
    );
    let e = find(&doc, EventType::Aid);
    assert_eq!(sources(&doc, e), ["International Monetary Fund"]);
}

/// A deed told after the story's day without a time of its own happened on
/// that day; what is said about it (a condemnation) is dated to the report,
/// and a clause ordered "after" another time is not that time's day.
#[test]
fn deeds_take_the_story_day_words_the_report_day() {
    let doc = run(
        "Gunmen attacked a cattle market near the town of Keffi on Tuesday, residents said. \
         The attackers abducted four traders. The governor condemned the killings.",
    );
    let date_of = |word: &str| {
        doc.events
            .iter()
            .find(|e| doc.slice(e.trigger) == word)
            .unwrap_or_else(|| panic!("no event {word:?}"))
            .date
            .clone()
    };
    assert_eq!(date_of("attacked").as_deref(), Some("2024-05-14"));
    assert_eq!(date_of("abducted").as_deref(), Some("2024-05-14"));
    assert_eq!(date_of("condemned").as_deref(), Some("2024-05-16"));

    let doc = run("Rioters burned a police station on Wednesday. \
         They took to the streets after a court jailed the mayor.");
    let jailed = find(&doc, EventType::Coerce);
    assert_ne!(jailed.date.as_deref(), Some("2024-05-15"));
}

#[test]
fn an_event_noun_the_subject_only_fears_or_reports_is_not_the_subjects() {
    // Ruled out or feared: no event at all.
    for text in [
        "The cabinet would not tolerate further unrest, the interior minister said.",
        "Shopkeepers feared further unrest after the verdict.",
    ] {
        let doc = run(text);
        assert!(
            doc.events
                .iter()
                .all(|e| e.event_type != EventType::Protest),
            "{text}: {:?}",
            doc.events
        );
    }
    // Reported or set off by others: the noun's own event, not done by the
    // subject.
    let doc = run("Villagers in Ostrava Dol reported heavy shelling near the school on Sunday.");
    for e in &doc.events {
        assert!(
            !sources(&doc, e).iter().any(|s| s.contains("Villagers")),
            "{:?}",
            sources(&doc, e)
        );
    }
    // Undergone: the subject is the target.
    let doc = run("The governor faced angry protests by farmers in the provincial capital.");
    let e = find(&doc, EventType::Protest);
    assert!(
        !sources(&doc, e).iter().any(|s| s.contains("governor")),
        "{:?}",
        sources(&doc, e)
    );
    assert!(
        targets(&doc, e).iter().any(|s| s.contains("governor")),
        "{:?}",
        targets(&doc, e)
    );
}

#[test]
fn pressing_ahead_is_no_request() {
    let doc = run("The cabinet said it would press ahead with the new fuel levy.");
    assert!(
        doc.events
            .iter()
            .all(|e| e.event_type != EventType::Request),
        "{:?}",
        doc.events
    );
    let doc = run("The envoy pressed the junta to free the detained reporters.");
    find(&doc, EventType::Request);
}

#[test]
fn a_purpose_clause_takes_the_mood_of_what_it_is_for() {
    let doc = run(
        "Lindqvist said he would meet the union leaders next week to discuss their grievances.",
    );
    let e = find(&doc, EventType::Consult);
    assert!(
        doc.events
            .iter()
            .filter(|e| e.event_type == EventType::Consult)
            .all(|e| e.modality == Modality::Future),
        "{:?}",
        e
    );
}

#[test]
fn parties_joined_by_an_and_on_the_verb_and_no_time_as_a_source() {
    let doc = run(
        "The army and a rival militia agreed on Saturday to a truce after weeks of fighting that left dozens dead.",
    );
    let e = find(&doc, EventType::Agree);
    let s = sources(&doc, e);
    assert!(s.iter().any(|x| x.contains("militia")), "{s:?}");
    for e in &doc.events {
        assert!(
            !sources(&doc, e).iter().any(|x| x.contains("weeks")),
            "{:?}",
            sources(&doc, e)
        );
    }
}

#[test]
fn a_person_held_is_the_target_of_a_detention() {
    let doc = run("A court ruled that her detention by the border agency was unlawful.");
    let e = find(&doc, EventType::Coerce);
    assert!(
        targets(&doc, e).iter().any(|x| x == "her"),
        "{:?}",
        targets(&doc, e)
    );
    assert!(
        sources(&doc, e).iter().any(|x| x.contains("agency")),
        "{:?}",
        sources(&doc, e)
    );
}

/// A coercive act an actor would take if another party acts is a threat to
/// that party, asserted; an act called off on a condition is none.
#[test]
fn a_conditional_coercive_act_is_a_threat() {
    let doc = run(
        "The dockworkers' union said it would call an indefinite strike if parliament approved the pension bill.",
    );
    let e = find(&doc, EventType::Threaten);
    assert_eq!(e.modality, Modality::Asserted);
    assert_eq!(targets(&doc, e), ["parliament"]);
    assert!(!has(&doc, EventType::Protest));

    let doc = run("The union would call off its strike if the government withdrew the bill.");
    assert!(!has(&doc, EventType::Threaten));
}

#[test]
fn a_warning_is_a_threat_only_of_the_speakers_own_act() {
    let has_threat = |text: &str| has(&run(text), EventType::Threaten);
    // The speaker's side will act: a threat.
    assert!(has_threat(
        "The defence ministry warned that it would shoot down any drone that crossed the border."
    ));
    assert!(has_threat(
        "The interior minister warned that anyone who joined the march would be arrested."
    ));
    // A third party might act, or something might happen: a prediction.
    assert!(!has_threat(
        "A retired general warned that the rebels might use the truce to rearm."
    ));
    assert!(!has_threat(
        "The mediator warned that fighting could resume if the talks failed."
    ));
}

#[test]
fn what_lightning_kills_is_no_attack() {
    let doc =
        run("Twelve people drowned or were killed by lightning during the storms, officials said.");
    assert!(!has(&doc, EventType::Assault));
}

#[test]
fn the_toll_of_an_attack_is_not_a_second_attack() {
    let doc = run("Artillery units shelled the port on Tuesday, killing three dock workers.");
    let assaults: Vec<_> = doc
        .events
        .iter()
        .filter(|e| e.event_type == EventType::Assault)
        .map(|e| doc.slice(e.trigger).to_string())
        .collect();
    assert_eq!(assaults, ["shelled"]);

    // After an event of another kind the killing is the attack.
    let doc = run(
        "The two armies carried out a joint operation near the river on Sunday, killing nine militants.",
    );
    assert!(doc
        .events
        .iter()
        .any(|e| e.event_type == EventType::Assault && doc.slice(e.trigger) == "killing"));
}

#[test]
fn a_demand_pointed_back_to_or_a_danger_posed_is_no_new_event() {
    let doc = run(
        "The interior minister rejected that demand at a news conference on Friday, saying the militia posed no threat to anyone.",
    );
    let types: Vec<_> = doc.events.iter().map(|e| e.event_type).collect();
    assert_eq!(types, [EventType::Reject], "{:?}", doc.events);

    // A complement clause after "that" is read as one.
    let doc =
        run("The spokesman said that talks with the rebels would resume in Geneva next week.");
    assert!(has(&doc, EventType::Consult));
}

#[test]
fn a_vow_to_harm_and_retaliation_to_come_are_threats() {
    let doc = run("The interior minister vowed that the gunmen would be hunted down.");
    assert_eq!(find(&doc, EventType::Threaten).modality, Modality::Asserted);
    assert!(!has(&doc, EventType::Agree) && !has(&doc, EventType::Coerce));

    let doc = run("Officials said Hanoi would retaliate if Manila imposed the new port fees.");
    let e = find(&doc, EventType::Threaten);
    assert_eq!(e.modality, Modality::Asserted);
    assert_eq!(targets(&doc, e), ["Manila"]);

    // Retaliation told in the past is no threat.
    let doc = run("Hanoi retaliated on Monday by expelling two Philippine diplomats.");
    assert!(!has(&doc, EventType::Threaten));
}

#[test]
fn diplomatic_protests_and_cut_services() {
    let cases = [
        (
            "Lisbon summoned the Angolan ambassador on Monday over the arrests.",
            EventType::Accuse,
            "summoned",
        ),
        (
            "Chile lodged a formal protest with the Bolivian embassy.",
            EventType::Accuse,
            "lodged",
        ),
        (
            "The junta cut mobile internet across the capital on Tuesday.",
            EventType::Coerce,
            "cut",
        ),
        (
            "The media regulator revoked the licence of an opposition radio station.",
            EventType::Coerce,
            "revoked",
        ),
    ];
    for (text, t, trigger) in cases {
        let doc = run(text);
        let e = find(&doc, t);
        assert!(doc.slice(e.trigger).starts_with(trigger), "{text}");
    }
    // The protest lodged is the accusation, not a demonstration.
    let doc = run("Chile lodged a formal protest with the Bolivian embassy.");
    assert!(!has(&doc, EventType::Protest));
}

#[test]
fn a_stretch_of_time_is_no_actor() {
    let doc = run(
        "The strike began three days after riot police arrested a union organiser, Pedro Lunde, outside the port.",
    );
    let e = find(&doc, EventType::Coerce);
    assert_eq!(sources(&doc, e), ["riot police"]);
}

#[test]
fn a_bare_condition_or_evidence_is_no_event() {
    let doc = run("If convicted, the former mayor faces up to eight years in prison.");
    assert!(!has(&doc, EventType::Sanction));
    // With its own subject the act is still only a condition.
    let doc = run("If the jury convicts him, the former mayor will resign.");
    assert!(!has(&doc, EventType::Sanction));

    let doc = run("The new figures support the central bank's forecast.");
    assert!(!has(&doc, EventType::Support));
}

#[test]
fn dismissing_something_as_what_it_is_not_is_an_accusation() {
    for text in [
        "Tarpeh dismissed the observers' report as \"a diplomatic whitewash\".",
        "The ministry dismissed the claim as fabricated.",
    ] {
        let doc = run(text);
        assert_eq!(find(&doc, EventType::Accuse).mode, "disapprove", "{text}");
        assert!(!has(&doc, EventType::Reject), "{text}");
    }
    // The accused is who made the thing dismissed or criticised.
    let doc = run("Tarpeh dismissed the observers' report as a whitewash.");
    assert_eq!(
        targets(&doc, find(&doc, EventType::Accuse)),
        ["the observers"]
    );
    let doc = run("Amnesty criticised Kenya's handling of the protests.");
    assert_eq!(targets(&doc, find(&doc, EventType::Accuse)), ["Kenya"]);
    // Dismissing a demand is refusing it.
    let doc = run("The junta dismissed calls from traders to lift the curfew.");
    assert!(has(&doc, EventType::Reject));
}

#[test]
fn a_meetings_mode_comes_from_its_setting() {
    let mode = |text: &str| find(&run(text), EventType::Consult).mode.clone();
    assert_eq!(
        mode("The Omani envoy flew to Riyadh on Monday and met the Saudi deputy foreign minister."),
        "visit"
    );
    assert_eq!(
        mode("The Thai foreign minister will travel to Hanoi next week to meet his Vietnamese counterpart."),
        "visit"
    );
    assert_eq!(
        mode("The rebels and the government agreed a truce after nine days of talks mediated by Kenya."),
        "third-party"
    );
    assert_eq!(
        mode("West African leaders will hold an emergency summit in Abuja on Saturday."),
        "multilateral"
    );
    assert_eq!(mode("Ruto met Museveni in Nairobi on Tuesday."), "");
}

#[test]
fn one_meeting_told_twice_is_one_event() {
    let count = |text: &str| {
        let doc = run(text);
        doc.events
            .iter()
            .filter(|e| e.event_type == EventType::Consult)
            .count()
    };
    for text in [
        "The Indian foreign minister arrived in Colombo on Wednesday for two days of talks with President Perera.",
        "Egypt's foreign minister received a Hamas delegation in Cairo on Sunday to discuss a prisoner exchange.",
        "The Japanese prime minister plans to visit Washington in April to hold talks with the US president.",
    ] {
        assert_eq!(count(text), 1, "{text}");
    }
    // Two meetings told side by side stay two.
    assert_eq!(
        count("Ruto met Museveni on Monday and held talks with Kagame on Tuesday."),
        2
    );
}

#[test]
fn a_kind_of_act_is_no_event() {
    let doc = run("Peaceful protest is a right, the minister said.");
    assert!(!has(&doc, EventType::Protest));
    let doc = run("An attack on a hospital is a war crime, the envoy said.");
    assert!(!has(&doc, EventType::Assault));
    // A told act described by a copula stands.
    let doc = run("Protests against the pension law were peaceful on Monday.");
    assert!(has(&doc, EventType::Protest));
    let doc = run("The protest in Lima was a success, organisers said.");
    assert!(has(&doc, EventType::Protest));
}

#[test]
fn money_pledged_is_a_promise_not_yet_aid() {
    let doc = run("The World Bank pledged $40 million in emergency loans to Malawi on Tuesday.");
    find(&doc, EventType::Agree);
    assert!(!has(&doc, EventType::Aid));
}

#[test]
fn siding_voting_and_intercepting() {
    let cases = [
        (
            "Belgrade has sided with Moscow in the dispute over the pipeline.",
            EventType::Support,
        ),
        (
            "Ankara said it would vote against the resolution at the Security Council.",
            EventType::Reject,
        ),
        (
            "Danish jets intercepted two Russian bombers over the Baltic Sea on Friday.",
            EventType::Mobilize,
        ),
    ];
    for (text, t) in cases {
        find(&run(text), t);
    }
}

#[test]
fn reaching_a_deal_is_agreement_and_no_deal_is_negated() {
    let doc = run("Ghana and Togo reached an agreement on their maritime border on Monday.");
    assert_eq!(find(&doc, EventType::Agree).modality, Modality::Asserted);
    let doc = run("No agreement was reached on the release of the prisoners.");
    assert_eq!(find(&doc, EventType::Agree).modality, Modality::Negated);
}

#[test]
fn we_will_not_negotiate_is_a_refusal() {
    let doc = run("\"We will not negotiate with the kidnappers,\" the governor said.");
    let e = find(&doc, EventType::Reject);
    assert_eq!(e.modality, Modality::Asserted);
    assert!(!has(&doc, EventType::Consult));

    // A meeting that will not take place, told of a third party.
    let doc = run("The president will not meet the visiting delegation, his office said.");
    assert_eq!(find(&doc, EventType::Consult).modality, Modality::Negated);
}

#[test]
fn calling_off_and_cancelling() {
    // A concession offered on a condition, to the party of the condition.
    let doc = run("The union would call off the strike only if the ministry agreed to a pay rise.");
    let e = find(&doc, EventType::Concede);
    assert_eq!(e.modality, Modality::Conditional);
    assert_eq!(targets(&doc, e), ["the ministry"]);
    let doc = run(
        "Georgia said it would reopen the border crossing only if Armenia withdrew its troops.",
    );
    let e = find(&doc, EventType::Concede);
    assert_eq!(targets(&doc, e), ["Armenia"]);
    // What the condition names is no event of its own.
    assert!(!has(&doc, EventType::Retreat));
    let doc = run("The bank would release the loan if Dhaka requested it.");
    assert!(!has(&doc, EventType::Request));
    let doc =
        run("Washington would reimpose sanctions if Caracas failed to release the prisoners.");
    assert!(!has(&doc, EventType::Retreat));

    // Talks or a strike called off or cancelled will not happen.
    let doc = run("Kenya cancelled talks with Somalia on Monday.");
    assert_eq!(find(&doc, EventType::Consult).modality, Modality::Negated);
    let doc = run("Dock workers postponed a strike planned for Friday.");
    assert_eq!(find(&doc, EventType::Protest).modality, Modality::Negated);

    // Closing a mission is a downgrade of relations.
    let doc = run("Latvia closed the Belarusian consulate in Daugavpils on Tuesday.");
    assert_eq!(find(&doc, EventType::Sanction).mode, "discontinue");
}

#[test]
fn expulsions_suspensions_custody_and_gunfire() {
    // The object decides between the specific rule and the classifier's
    // choice of a bare one: an expelled envoy is a SANCTION.
    let doc = run("Moldova expelled the Russian ambassador on Friday.");
    assert_eq!(find(&doc, EventType::Sanction).mode, "expel");
    assert!(!has(&doc, EventType::Coerce));
    let doc = run("The African Union suspended Gabon from all its activities on Thursday.");
    assert_eq!(find(&doc, EventType::Sanction).mode, "expel");
    let doc = run("Both governments raised tariffs on steel within days.");
    find(&doc, EventType::Sanction);
    let doc = run("Police took the editor into custody on Tuesday.");
    assert_eq!(find(&doc, EventType::Coerce).mode, "arrest");
    let doc = run("Rebels exchanged fire with the army near Goma on Sunday.");
    assert_eq!(find(&doc, EventType::Assault).mode, "firearms");

    // The one accused of an act is the accusation's target; the act is
    // its content (see `an_alleged_act_is_the_accusations_content`).
    let doc = run("Kyiv accused Moscow of shelling the power plant.");
    let e = find(&doc, EventType::Accuse);
    assert_eq!(targets(&doc, e), ["Moscow"]);
    assert!(!has(&doc, EventType::Assault));
    let doc = run("Estonia accused Russia of jamming the radios of its border guards.");
    let e = find(&doc, EventType::Accuse);
    assert_eq!(targets(&doc, e), ["Russia"]);
    assert!(!has(&doc, EventType::Coerce));
}

#[test]
fn warnings_of_force_made_now() {
    // "will not allow" with a subject is a warning, made when reported.
    let doc = run("Police said they would not allow the marchers to block the bridge again.");
    let e = find(&doc, EventType::Threaten);
    assert_eq!(
        (e.modality, e.mode.as_str()),
        (Modality::Asserted, "restrict")
    );
    assert!(!has(&doc, EventType::Concede));

    // Answering an attack to come is a threat of force.
    let doc = run("\"We will answer every attack,\" the defence minister said on Friday.");
    let e = find(&doc, EventType::Threaten);
    assert_eq!(
        (e.modality, e.mode.as_str()),
        (Modality::Asserted, "violence")
    );
    assert!(!has(&doc, EventType::Assault));
    let doc = run("The army said its units would respond decisively to any attack.");
    assert_eq!(find(&doc, EventType::Threaten).modality, Modality::Asserted);
}

#[test]
fn a_refused_request_is_aimed_at_whoever_made_it() {
    let doc = run("The Marovian opposition on Monday demanded the release of \
                   Adele Rusk, a jailed union leader. Interior Minister Tomas \
                   Vell rejected that demand on Tuesday.");
    let reject = find(&doc, EventType::Reject);
    assert_eq!(sources(&doc, reject), ["Interior Minister Tomas Vell"]);
    assert_eq!(targets(&doc, reject), ["The Marovian opposition"]);
    assert_eq!(reject.mode, "yield");

    let doc = run("Lawyers for the former governor asked for bail on Monday, \
                   a request the judge refused.");
    let reject = find(&doc, EventType::Reject);
    assert_eq!(targets(&doc, reject), ["Lawyers"]);

    // A refusal with no request before it keeps no target.
    let doc = run("Interior Minister Tomas Vell rejected the demand on Tuesday.");
    assert!(find(&doc, EventType::Reject).target.is_empty());
}

#[test]
fn a_recalled_envoy_is_the_senders_own() {
    let doc = run("Chile recalled its ambassador from Venezuela on Tuesday.");
    let recall = find(&doc, EventType::Sanction);
    assert_eq!(recall.mode, "discontinue");
    assert_eq!(sources(&doc, recall), ["Chile"]);
    assert_eq!(targets(&doc, recall), ["Venezuela"]);

    // With no post named, the envoy is no target.
    let doc = run("Chile recalled its ambassador for consultations on Tuesday.");
    assert!(find(&doc, EventType::Sanction).target.is_empty());

    // A chargé d'affaires (headed by its last word) and a consul are envoys
    // too; withdrawing a charge is not a recall.
    let doc = run("Peru recalled its chargé d'affaires from Bolivia.");
    assert_eq!(targets(&doc, find(&doc, EventType::Sanction)), ["Bolivia"]);
    let doc = run("Peru has withdrawn its consul from Bolivia.");
    assert_eq!(targets(&doc, find(&doc, EventType::Sanction)), ["Bolivia"]);
    let doc = run("Prosecutors withdrew the charge against Perez.");
    assert!(!has(&doc, EventType::Sanction));
}

#[test]
fn a_summoned_charge_daffaires_is_the_target() {
    let doc = run("Lithuania summoned the Belarusian chargé d’affaires on Monday.");
    let summon = find(&doc, EventType::Accuse);
    assert_eq!(targets(&doc, summon), ["the Belarusian chargé d’affaires"]);
    assert_eq!(summon.target[0].country.as_deref(), Some("BLR"));
}

#[test]
fn no_plans_to_act_is_negated() {
    let doc = run("Chile has no plans to withdraw its envoy from Caracas.");
    assert_eq!(find(&doc, EventType::Sanction).modality, Modality::Negated);
    let doc = run("Chile has plans to withdraw its envoy from Caracas.");
    assert_eq!(find(&doc, EventType::Sanction).modality, Modality::Future);
}

#[test]
fn the_two_leaders_are_the_two_parties_named_before() {
    let doc = run("Chilean President Marta Ibáñez held talks with Argentine \
                   President Rubén Sosa in Santiago on Monday. The two leaders \
                   agreed to reopen a mountain pass closed since the winter.");
    let agree = find(&doc, EventType::Agree);
    let mut countries: Vec<_> = agree
        .source
        .iter()
        .filter_map(|a| a.country.as_deref())
        .collect();
    countries.sort_unstable();
    assert_eq!(countries, ["ARG", "CHL"]);

    // With one party named before, the phrase keeps no guessed country.
    let doc = run("Both governments agreed to reopen the pass on Monday.");
    let agree = find(&doc, EventType::Agree);
    assert!(agree.source.iter().all(|a| a.country.is_none()));
}

#[test]
fn calling_something_important_is_support() {
    let doc = run(
        "Prime Minister Ilse Varga called the accord \"the most important \
                   document our two countries have signed\".",
    );
    assert!(has(&doc, EventType::Support));
    let doc = run("Prime Minister Ilse Varga called the accord \"a reckless \
                   document\".");
    assert!(!has(&doc, EventType::Support));
    assert!(has(&doc, EventType::Accuse));
    // A quoted noun the parser made an apposition of the object judges too.
    let doc = run(
        "The spokeswoman, Yelena Orlova, called the drills \"a deliberate provocation on our border\" and left.",
    );
    assert!(has(&doc, EventType::Accuse));
}

#[test]
fn ready_to_act_is_an_offer() {
    let doc = run("The rebel movement said it was ready to join peace talks \
                   with the government.");
    let agree = find(&doc, EventType::Agree);
    assert!(!agree.source.is_empty());
    // The talks are what is offered, not a second event.
    assert!(!has(&doc, EventType::Consult));

    // Ready to use force is a threat.
    let doc = run("The army said it was ready to attack the rebel positions.");
    assert!(has(&doc, EventType::Threaten));
    assert!(!has(&doc, EventType::Agree));
}

#[test]
fn captors_release_people_troops_free_them() {
    // Students, passengers or villagers are captives when a captor releases them.
    let doc = run("The gunmen would release the 14 schoolgirls once the ransom was paid.");
    let release = find(&doc, EventType::Retreat);
    assert_eq!(release.mode, "release");
    assert_eq!(targets(&doc, release), ["the 14 schoolgirls"]);
    // Troops that free them rescue them: no captor gives anything up.
    let doc = run("Special forces freed two tourists from a farmhouse on Sunday.");
    assert!(!has(&doc, EventType::Retreat));
}

#[test]
fn a_threat_after_a_time_phrase_is_aimed_at_what_is_threatened() {
    let doc = run("Moscow threatened on Tuesday to expel British diplomats over the affair.");
    let threat = find(&doc, EventType::Threaten);
    assert_eq!(targets(&doc, threat), ["British diplomats"]);
    assert!(threat
        .target
        .iter()
        .all(|a| a.country.as_deref() == Some("GBR")));
    let doc = run("Vilnius threatened on Friday to withdraw its ambassador from Beijing.");
    let threat = find(&doc, EventType::Threaten);
    assert_eq!(targets(&doc, threat), ["Beijing"]);
}

#[test]
fn a_visit_is_aimed_at_the_state_visited() {
    let doc = run("Foreign Minister Olga Berzina arrived in Ankara on Wednesday.");
    let visit = find(&doc, EventType::Consult);
    assert_eq!(targets(&doc, visit), ["Ankara"]);
    assert_eq!(visit.target[0].country.as_deref(), Some("TUR"));
    let doc = run("The visit by Kenyan President Daniel Mwangi to Kampala ended on Friday.");
    let visit = find(&doc, EventType::Consult);
    assert_eq!(targets(&doc, visit), ["Kampala"]);
}

#[test]
fn a_measure_on_something_owned_targets_its_owner() {
    let doc = run("Brussels eased sanctions on Belarus's potash industry on Monday.");
    let eased = find(&doc, EventType::Concede);
    assert_eq!(eased.target.len(), 1);
    assert_eq!(eased.target[0].country.as_deref(), Some("BLR"));
    let doc = run("Seoul will lift its ban on fish imports from Japan next month.");
    let lifted = find(&doc, EventType::Concede);
    assert_eq!(targets(&doc, lifted), ["Japan"]);
}

#[test]
fn answering_a_demand_targets_who_made_it() {
    let doc = run("The Ghanaian government accepted the demands of the striking nurses on Friday.");
    let accepted = find(&doc, EventType::Concede);
    assert_eq!(targets(&doc, accepted), ["the striking nurses"]);
    let doc = run("The city council dismissed calls from shopkeepers to lift the curfew.");
    let dismissed = find(&doc, EventType::Reject);
    assert_eq!(targets(&doc, dismissed), ["shopkeepers"]);
}

#[test]
fn sending_troops_is_mobilize() {
    // UD lemmatises "troops" as "troops", so the list names both forms.
    for text in [
        "Ankara sent more troops to its border with Syria on Monday.",
        "Moscow has massed about 90,000 troops near the border.",
    ] {
        let doc = run(text);
        let e = find(&doc, EventType::Mobilize);
        assert_eq!(e.mode, "troops", "{text}");
    }
}

#[test]
fn natural_causes_do_not_attack() {
    let doc = run(
        "Officials said the blaze that destroyed the central market was caused by faulty wiring.",
    );
    assert!(!has(&doc, EventType::Assault));
    let doc = run("Rebels destroyed the central market on Monday.");
    assert!(has(&doc, EventType::Assault));
}

#[test]
fn returning_looted_artefacts_is_retreat() {
    let doc = run(
        "The Netherlands returned 112 artefacts looted in the colonial era to Sri Lanka on Monday.",
    );
    let e = find(&doc, EventType::Retreat);
    assert_eq!(e.mode, "return");
}

#[test]
fn an_event_dated_after_the_story_is_future_and_a_span_end_is_no_date() {
    // The story is of Thursday 2024-05-16.
    for (text, t, date) in [
        (
            "The senate is due to ratify the trade agreement with Peru on Monday.",
            EventType::Support,
            "2024-05-20",
        ),
        (
            "The agency's board of governors meets in Vienna next week.",
            EventType::Consult,
            "2024-W21",
        ),
    ] {
        let doc = run(text);
        let e = find(&doc, t);
        assert_eq!(e.modality, Modality::Future, "{text}");
        assert_eq!(e.date.as_deref(), Some(date), "{text}");
    }
    let doc = run("Foreign ministers met in Vienna on Tuesday.");
    assert_eq!(find(&doc, EventType::Consult).modality, Modality::Asserted);
    // "until" ends the detention; it is not when the judge ordered it.
    let doc = run("A judge on Wednesday ordered the activist held in custody until June 3.");
    let e = find(&doc, EventType::Coerce);
    assert_eq!(e.modality, Modality::Asserted);
    assert_ne!(e.date.as_deref(), Some("2024-06-03"));
}

#[test]
fn calling_oneself_a_name_is_no_phone_call() {
    let doc = run(
        "A group of officers calling themselves the Council for National Renewal appeared on state television.",
    );
    assert!(!has(&doc, EventType::Consult));
    let doc = run("President Okafor called Chancellor Brandt on Monday.");
    assert_eq!(find(&doc, EventType::Consult).mode, "phone");
}

#[test]
fn a_bomber_is_a_suicide_attack_only_when_it_is_a_suicide_bomber() {
    let doc = run("A suicide bomber killed nine people at a checkpoint in Mogadishu.");
    assert!(doc
        .events
        .iter()
        .any(|e| e.event_type == EventType::Assault && e.mode == "suicide-attack"));
    let doc = run("Moscow moved additional long-range bombers to an air base near Murmansk.");
    assert!(!doc.events.iter().any(|e| e.mode == "suicide-attack"));
}

#[test]
fn request_and_rejection_modes_come_from_what_was_asked() {
    for (text, t, mode) in [
        // A request noun carries the content; it is not a "call" for change.
        (
            "Prime Minister Anan Kiet rejected calls for a ceasefire in the north on Sunday.",
            EventType::Reject,
            "yield",
        ),
        (
            "The interior ministry dismissed calls from shopkeepers on Monday to lift the curfew.",
            EventType::Reject,
            "yield",
        ),
        // What a refused request asked for.
        (
            "A Moldovan request for air-defence systems and ammunition was turned down by Berlin.",
            EventType::Reject,
            "assist",
        ),
        // "despite demands": the demand was for what was not done.
        (
            "The junta refused to release the former president, despite repeated demands from the bloc.",
            EventType::Request,
            "yield",
        ),
        (
            "Lisbon formally requested the extradition of the banker from Brazil.",
            EventType::Request,
            "assist",
        ),
        (
            "The magistrate refused bail for the opposition leader.",
            EventType::Reject,
            "yield",
        ),
        (
            "The senate rejected the government's bill on Tuesday.",
            EventType::Reject,
            "change",
        ),
    ] {
        let doc = run(text);
        assert_eq!(find(&doc, t).mode, mode, "{text}");
    }
}

#[test]
fn meeting_modes_from_the_setting() {
    for (text, mode) in [
        (
            "EU leaders will meet in Brussels on Thursday for an emergency summit on energy prices.",
            "multilateral",
        ),
        (
            "Foreign Minister Selim Varga met his Japanese counterpart on the sidelines of the G20 gathering in Delhi.",
            "multilateral",
        ),
        (
            "Opposition leaders will join mediation talks with the government on Thursday.",
            "third-party",
        ),
        (
            "Talks chaired by the UN envoy ended in Geneva on Monday.",
            "third-party",
        ),
        (
            "The two sides held talks with African Union mediators in Addis Ababa on Monday.",
            "third-party",
        ),
        (
            "President Ilona Marsh will travel to Seoul next month for a summit with her Korean counterpart.",
            "visit",
        ),
    ] {
        let doc = run(text);
        assert_eq!(find(&doc, EventType::Consult).mode, mode, "{text}");
    }
}

#[test]
fn deploying_fighters_or_missiles_is_not_deploying_troops() {
    for (text, mode) in [
        (
            "The rebel movement mobilised thousands of fighters around the city on Sunday.",
            "militia",
        ),
        (
            "Moscow deployed short-range missile systems to the border region on Sunday.",
            "weapons",
        ),
        (
            "The government deployed 2,000 troops to the northern province.",
            "troops",
        ),
    ] {
        let doc = run(text);
        assert_eq!(find(&doc, EventType::Mobilize).mode, mode, "{text}");
    }
}

#[test]
fn condemning_an_act_told_earlier_targets_whoever_did_it() {
    let doc = run(
        "The European Union imposed sanctions on twelve Venezuelan officials on Monday. \
         Venezuela's foreign ministry condemned the sanctions on Tuesday.",
    );
    let e = find(&doc, EventType::Accuse);
    assert_eq!(targets(&doc, e), ["the sanctions"]);
    assert_eq!(e.target[0].country.as_deref(), Some("EUR"));
    // With no such act told before, the thing keeps the story's country.
    let doc = run("Venezuela's foreign ministry condemned the sanctions on Tuesday.");
    let e = find(&doc, EventType::Accuse);
    assert_ne!(e.target[0].country.as_deref(), Some("EUR"));
}

/// A recipient the parser hung on a word before it, and a place named by
/// an of-phrase, are still the target of what was given or returned.
#[test]
fn recipients_hung_on_the_wrong_word_and_named_places() {
    let doc =
        run("Belgium returned 120 artefacts taken during the colonial period to Congo on Friday.");
    let e = find(&doc, EventType::Retreat);
    assert_eq!(targets(&doc, e), ["Congo"]);
    let doc =
        run("The Red Cross delivered tents to the flooded town of Kasama in Zambia on Monday.");
    let e = find(&doc, EventType::Aid);
    assert_eq!(targets(&doc, e), ["Kasama"]);
    assert_eq!(e.target[0].country.as_deref(), Some("ZMB"));
}

/// The weapon gives an attack its mode: what struck, what it was struck
/// with, the kind of attack a noun names; a hunger strike is one; shooting
/// down missiles is no attack on anyone.
#[test]
fn weapons_give_assault_modes() {
    let cases = [
        (
            "Government warplanes bombed a rebel base near Kidal on Friday.",
            "aerial",
        ),
        (
            "Rebel drones struck a fuel depot in Goma on Sunday.",
            "drone",
        ),
        (
            "Russian missiles struck a power station near Odesa overnight.",
            "heavy-weapons",
        ),
        (
            "The army attacked the camp with rockets on Monday.",
            "heavy-weapons",
        ),
        (
            "A drone attack on the port of Berdyansk was reported on Tuesday.",
            "drone",
        ),
        ("Gunmen attacked a bus near Maiduguri on Friday.", ""),
    ];
    for (text, mode) in cases {
        let doc = run(text);
        assert_eq!(find(&doc, EventType::Assault).mode, mode, "{text}");
    }
    let doc = run("Jailed journalist Omar Haddad began a hunger strike on Monday.");
    assert_eq!(find(&doc, EventType::Protest).mode, "hunger");
    let doc = run("The navy said it had shot down six of the nine drones.");
    assert!(!has(&doc, EventType::Assault));
}

/// An organisation's members meeting among themselves meet multilaterally;
/// what a meeting discusses is no party to it; a purpose clause has the
/// main clause's subject.
#[test]
fn members_meeting_topics_and_purposes() {
    let doc = run("Finance ministers of the African Union met in Addis Ababa on Friday.");
    assert_eq!(find(&doc, EventType::Consult).mode, "multilateral");
    let doc = run(
        "Leaders of the Gulf Cooperation Council will gather in Doha on Sunday to discuss the drought.",
    );
    let e = find(&doc, EventType::Consult);
    assert_eq!(e.mode, "multilateral");
    assert!(e.target.is_empty(), "{:?}", targets(&doc, e));
    assert_eq!(
        sources(&doc, e),
        ["Leaders of the Gulf Cooperation Council"]
    );
    let doc = run("The two delegations discussed fishing quotas in Reykjavik on Monday.");
    assert!(find(&doc, EventType::Consult).target.is_empty());
}

/// The act an accusation alleges is its content, not an event of its own.
#[test]
fn an_alleged_act_is_the_accusations_content() {
    for text in [
        "The ministry accused the rebels on Monday of shelling a hospital near Kidal.",
        "Police blamed the opposition for burning two buses in Lome.",
    ] {
        let doc = run(text);
        find(&doc, EventType::Accuse);
        assert!(!has(&doc, EventType::Assault), "{text}");
    }
    let doc = run("The rebels shelled a hospital near Kidal on Monday.");
    find(&doc, EventType::Assault);
}

/// "In protest" is the manner of another act, and a campaign rally is no
/// protest.
#[test]
fn in_protest_and_campaign_rallies_are_no_protests() {
    let doc =
        run("Fishermen blocked the port of Sfax on Monday in protest against new licence fees.");
    assert_eq!(
        doc.events
            .iter()
            .filter(|e| e.event_type == EventType::Protest)
            .count(),
        1
    );
    assert_eq!(find(&doc, EventType::Protest).mode, "obstruct");
    let doc = run("The senator spoke at a campaign rally in Accra on Friday.");
    assert!(!has(&doc, EventType::Protest));
    let doc = run("Thousands joined a rally in Accra on Friday against the new levy.");
    find(&doc, EventType::Protest);
}

/// An answered offer or request is an event of its own only when the text
/// says whose it was; what it asked for is never one.
#[test]
fn answered_requests_with_and_without_makers() {
    let doc = run("The governor declined an invitation to meet the strikers' leaders in Enugu.");
    find(&doc, EventType::Reject);
    assert!(!has(&doc, EventType::Agree));
    assert!(!has(&doc, EventType::Consult));
    let doc = run("The rebels rebuffed a Kenyan proposal for direct talks on Saturday.");
    find(&doc, EventType::Reject);
    find(&doc, EventType::Agree);
    // A call on the phone is no request.
    let doc = run("The two presidents agreed on a gas price during a phone call on Tuesday.");
    find(&doc, EventType::Consult);
}

/// What a quotation recounts or argues is the speaker's words, not the
/// story's event; the speaker's own threat, refusal or accusation, and a
/// request made as they speak, are reported all the same.
#[test]
fn events_told_inside_quotations() {
    let doc = run(
        "\"We did not march for a pay rise, we marched for our dignity,\" said Ama Boateng, the union's leader.",
    );
    assert!(!has(&doc, EventType::Protest));
    let doc = run("\"We will shell every bridge they cross,\" the rebel commander said on Monday.");
    assert_eq!(find(&doc, EventType::Assault).modality, Modality::Future);
    let doc = run("\"We will not negotiate with the junta,\" the rebel commander said on Monday.");
    find(&doc, EventType::Reject);
    let doc = run(
        "\"We urge the authorities to release our colleagues at once,\" said Lina Haddad, a spokeswoman for the press union.",
    );
    find(&doc, EventType::Request);
    // Outside the quotation the same act is an event.
    let doc =
        run("Union members marched through Accra on Monday, said Ama Boateng, the union's leader.");
    find(&doc, EventType::Protest);
}

/// A definite noun naming an act of a type the story has already told is
/// that act again, not a new one; a planned one is new.
#[test]
fn the_act_named_again_is_no_new_event() {
    let doc = run(
        "Gunmen attacked a checkpoint near Kidal on Tuesday. A jihadist group claimed responsibility for the attack on Wednesday.",
    );
    assert_eq!(
        doc.events
            .iter()
            .filter(|e| e.event_type == EventType::Assault)
            .count(),
        1
    );
    let doc = run(
        "Thousands marched through Accra on Tuesday. The organisers said the next march would be held in Kumasi.",
    );
    assert_eq!(
        doc.events
            .iter()
            .filter(|e| e.event_type == EventType::Protest)
            .count(),
        2
    );
}

/// Sealing off a place and blocking a convoy or mission restrict movement.
#[test]
fn sealing_off_and_blocking_missions_restrict() {
    for text in [
        "Police sealed off the centre of Harare on Sunday.",
        "Riot police cordoned off the parliament building in Tbilisi.",
        "Navy vessels blocked an aid convoy near the island on Friday.",
    ] {
        let doc = run(text);
        assert_eq!(find(&doc, EventType::Coerce).mode, "restrict", "{text}");
    }
    let doc = run("The two leaders sealed a gas deal in Baku.");
    assert!(!has(&doc, EventType::Coerce));
}

/// Letting inspectors or a mission into a place grants access.
#[test]
fn letting_visitors_in_grants_access() {
    for text in [
        "The junta let UN inspectors into the prison on Monday.",
        "Belarus allowed an OSCE observer mission into the country.",
    ] {
        let doc = run(text);
        assert_eq!(find(&doc, EventType::Retreat).mode, "access", "{text}");
    }
}
