//! `newsgraph generate-corpus` (hidden): writes synthetic news articles,
//! composed from templates and lexicons with a fixed seed, for throughput
//! measurements and the ingest tests. People are invented; places are real.
//!
//! Each story is an event (actors, PLOVER-like act, place, day) reported by
//! one to three outlets in their own words, so a store merges them.

use anyhow::{Context, Result};
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Directory to write the articles into (created when missing).
    #[arg(long)]
    out: PathBuf,
    /// Number of articles.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Seed of the generator: the same seed writes the same corpus.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Paragraphs of background per article (length: about 60 words each).
    #[arg(long, default_value_t = 6)]
    paragraphs: usize,
}

/// SplitMix64: small, fast, and stable across releases (the corpus must not
/// change when a dependency does).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// (country, adjective, capital, other city)
const COUNTRIES: &[(&str, &str, &str, &str)] = &[
    ("Russia", "Russian", "Moscow", "Sochi"),
    ("Ukraine", "Ukrainian", "Kyiv", "Odesa"),
    ("the United States", "American", "Washington", "New York"),
    ("France", "French", "Paris", "Marseille"),
    ("Germany", "German", "Berlin", "Hamburg"),
    ("Turkey", "Turkish", "Ankara", "Antalya"),
    ("Nigeria", "Nigerian", "Abuja", "Lagos"),
    ("Kenya", "Kenyan", "Nairobi", "Mombasa"),
    ("the Philippines", "Philippine", "Manila", "Cebu"),
    ("China", "Chinese", "Beijing", "Shanghai"),
    ("Japan", "Japanese", "Tokyo", "Osaka"),
    ("Brazil", "Brazilian", "Brasilia", "Sao Paulo"),
    ("Mali", "Malian", "Bamako", "Gao"),
    ("Egypt", "Egyptian", "Cairo", "Alexandria"),
    ("Poland", "Polish", "Warsaw", "Gdansk"),
    ("Estonia", "Estonian", "Tallinn", "Tartu"),
    ("India", "Indian", "New Delhi", "Mumbai"),
    ("Mexico", "Mexican", "Mexico City", "Monterrey"),
];

const FIRST: &[&str] = &[
    "Anna", "Pavel", "Ilse", "Marta", "Kwame", "Lucia", "Tomas", "Amara", "Jonas", "Yusuf",
    "Elena", "Haruto", "Chidi", "Sofia", "Mateus", "Aylin", "Dmitri", "Grace", "Rafael", "Leila",
];
const LAST: &[&str] = &[
    "Varga",
    "Oduya",
    "Lindqvist",
    "Moreau",
    "Kessler",
    "Adeyemi",
    "Novak",
    "Castellano",
    "Petrov",
    "Halvorsen",
    "Takeda",
    "Okafor",
    "Demir",
    "Silva",
    "Mensah",
    "Kowalski",
    "Rahman",
    "Ferreira",
    "Ivanova",
    "Brandt",
];
const TITLES: &[&str] = &[
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Interior Minister",
    "Trade Minister",
    "opposition leader",
    "army chief",
    "central bank governor",
    "mayor",
];
const OUTLETS: &[&str] = &[
    "Harbor Post",
    "Meridian Wire",
    "Kessen Courier",
    "Valmora Ledger",
    "Northern Dispatch",
    "Atlas Daily",
    "Coastline Times",
    "Republic Observer",
];
const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Ways to tell the act, `{a}` the source, `{b}` the target, `{p}` the place, `{d}` the day.
const ACTS: &[&[&str]] = &[
    &[
        "{a} met {b} in {p} on {d} for talks on trade and security.",
        "{b} hosted {a} in {p} on {d}, the first such meeting this year.",
        "{a} and {b} held talks in {p} on {d} that lasted several hours.",
    ],
    &[
        "{a} accused {b} on {d} of violating the ceasefire near {p}.",
        "{a} on {d} condemned what it called provocations by {b} around {p}.",
        "Speaking in {p} on {d}, {a} blamed {b} for the latest escalation.",
    ],
    &[
        "{a} rejected a proposal from {b} on {d}, officials in {p} said.",
        "{a} declined an invitation from {b} to attend a summit in {p}, its office said on {d}.",
        "{a} turned down demands by {b} on {d} after a tense session in {p}.",
    ],
    &[
        "{a} agreed on {d} to expand grain shipments to {b} through the port of {p}.",
        "{a} and {b} signed an agreement in {p} on {d} to reopen border crossings.",
        "{a} promised {b} on {d} that talks in {p} would resume within a month.",
    ],
    &[
        "Thousands of protesters rallied in {p} on {d} against {b}, and {a} urged calm.",
        "Workers went on strike in {p} on {d}, demanding that {b} raise wages, while {a} called for talks.",
        "Demonstrators marched through {p} on {d} to protest fuel prices set by {b}; {a} said the anger was understandable.",
    ],
    &[
        "{a} imposed new sanctions on {b} on {d}, freezing assets held in {p}.",
        "{a} expelled two diplomats of {b} on {d}, accusing them of spying in {p}.",
        "{a} said on {d} it would cut trade ties with {b} after the incident in {p}.",
    ],
    &[
        "{a} sent humanitarian aid to {b} on {d}, with the first convoy reaching {p}.",
        "{a} pledged emergency funds to {b} on {d} to rebuild homes around {p}.",
    ],
    &[
        "{a} deployed additional troops near {p} on {d}, a move {b} called dangerous.",
        "{a} put its forces on alert around {p} on {d} after warnings from {b}.",
    ],
];

const QUOTES: &[&str] = &[
    "We have always said that dialogue is the only way forward",
    "This decision was taken after long consultations with our partners",
    "Nobody should doubt our determination to defend our interests",
    "The talks were frank, and at times difficult, but useful",
    "We will not accept conditions that were imposed on us",
    "Our doors remain open, but patience is not unlimited",
    "The people expect results, not more promises",
];

const BACKGROUND: &[&str] = &[
    "Relations between the two sides have been strained since a dispute over fishing rights flared up two years ago.",
    "Analysts said the outcome would depend on whether both governments could agree on a timetable before the end of the year.",
    "Trade between the countries fell by almost a fifth last year, according to official figures published in {m}.",
    "Diplomats said a follow-up meeting could take place in {m}, although no date has been set.",
    "The issue has divided parliament, where several lawmakers have demanded a public inquiry.",
    "Officials declined to give details of the discussions, citing the sensitivity of the negotiations.",
    "Local media reported that police had closed several roads in the city centre ahead of the visit.",
    "Opposition parties criticised the government for what they called a lack of transparency.",
    "Markets reacted calmly to the news, with the currency little changed by the afternoon.",
    "A spokeswoman for the United Nations said the organisation was following developments closely.",
    "Residents interviewed by reporters said they hoped the agreement would bring lower prices and more jobs.",
    "The ministry said in a statement that further measures would be announced in {m}.",
];

struct Person {
    name: String,
    title: &'static str,
    country: usize,
}

pub fn run(args: GenerateArgs) -> Result<ExitCode> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut rng = Rng(args.seed);
    // A fixed cast of people, so entities recur across articles.
    let people: Vec<Person> = (0..120)
        .map(|_| Person {
            name: format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
            title: TITLES[rng.below(TITLES.len())],
            country: rng.below(COUNTRIES.len()),
        })
        .collect();
    let mut written = 0usize;
    let mut story = 0usize;
    while written < args.count {
        story += 1;
        let a = &people[rng.below(people.len())];
        let mut b = &people[rng.below(people.len())];
        while b.country == a.country {
            b = &people[rng.below(people.len())];
        }
        let act = rng.below(ACTS.len());
        let place_country = if rng.below(2) == 0 {
            a.country
        } else {
            b.country
        };
        let place = if rng.below(2) == 0 {
            COUNTRIES[place_country].2
        } else {
            COUNTRIES[place_country].3
        };
        // Days from 2015-01-01 over five years.
        let day = rng.below(5 * 365) as i64;
        let date = newsgraph_store::date_of_day(16_436 + day);
        let weekday = DAYS[((16_436 + day + 3) % 7) as usize];
        let outlets = 1 + rng.below(3);
        let mut first_outlet = rng.below(OUTLETS.len());
        for _ in 0..outlets {
            if written == args.count {
                break;
            }
            let outlet = OUTLETS[first_outlet % OUTLETS.len()];
            first_outlet += 1 + rng.below(3);
            let text = article(&mut rng, a, b, act, place, weekday, args.paragraphs);
            let title = format!(
                "{} {} {}",
                a.name.split(' ').nth(1).unwrap_or(&a.name),
                ["and", "vs", "on"][act % 3],
                COUNTRIES[b.country].0.trim_start_matches("the ")
            );
            let slug = outlet.to_lowercase().replace(' ', "-");
            let id = format!("{slug}-{story:06}");
            let body = format!(
                "Title: {title}\nDate: {date}\nSource: {outlet}\nURL: https://{slug}.example/{date}/{story}\nId: {id}\n\n{text}\n"
            );
            let path = args
                .out
                .join(format!("{:03}", written / 1000))
                .join(format!("{id}.txt"));
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(&path, body)
                .with_context(|| format!("cannot write {}", path.display()))?;
            written += 1;
        }
    }
    eprintln!(
        "newsgraph: wrote {written} articles ({story} stories) to {}",
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn full(p: &Person) -> String {
    let (_, adjective, _, _) = COUNTRIES[p.country];
    format!("{adjective} {} {}", p.title, p.name)
}

fn surname(p: &Person) -> &str {
    p.name.rsplit(' ').next().unwrap_or(&p.name)
}

fn article(
    rng: &mut Rng,
    a: &Person,
    b: &Person,
    act: usize,
    place: &str,
    weekday: &str,
    paragraphs: usize,
) -> String {
    let fill = |t: &str, src: &str, tgt: &str| {
        t.replace("{a}", src)
            .replace("{b}", tgt)
            .replace("{p}", place)
            .replace("{d}", weekday)
    };
    let mut text = String::new();
    let lead = rng.pick(ACTS[act]);
    text.push_str(&fill(lead, &full(a), &full(b)));
    text.push_str("\n\n");
    let quote = rng.pick(QUOTES);
    let _ = write!(
        text,
        "\u{201c}{quote},\u{201d} {} told reporters in {place}.",
        surname(a)
    );
    text.push_str("\n\n");
    let again = rng.pick(ACTS[act]);
    text.push_str(&fill(again, surname(a), surname(b)));
    let _ = write!(
        text,
        " {} said the {} government would respond in due course.",
        surname(b),
        COUNTRIES[b.country].1
    );
    for _ in 0..paragraphs {
        text.push_str("\n\n");
        // Three different sentences.
        let first = rng.below(BACKGROUND.len());
        for k in 0..3 {
            let month = MONTHS[rng.below(12)];
            let sentence = BACKGROUND[(first + k * 5) % BACKGROUND.len()];
            text.push_str(&sentence.replace("{m}", month));
            text.push(' ');
        }
        text.pop();
    }
    text
}
