//! A cheap language guess: the writing system first, then, for Latin script,
//! the most frequent function words of a dozen languages.
//!
//! newsgraph's models are trained on English news. Text in another language
//! is still read and kept exactly as it is (offsets stay valid), but it is
//! marked: [`detect_language`] tells the caller which language the text looks
//! like, so that the output's `language` field and a warning can say so.
//!
//! The guess reads at most the first [`SAMPLE_BYTES`] of the text and is
//! linear in that, so it costs nothing next to the pipeline. It is made to
//! be wrong in the safe direction: English, or too little evidence, gives
//! `None` (keep the default, English); another language is only claimed on
//! a clear majority of its script's letters, or, in Latin script, on at least
//! [`MIN_HITS`] function words and clearly more than English has.
//!
//! ```
//! use newsgraph_text::detect_language;
//!
//! assert_eq!(detect_language("The minister said the talks would go on."), None);
//! let de = detect_language("Der Minister sagte, dass die Gespräche mit den Nachbarn nicht beendet sind.").unwrap();
//! assert_eq!((de.code, de.name, de.script), ("de", "German", "Latin"));
//! let ru = detect_language("Министр заявил, что переговоры продолжатся.").unwrap();
//! assert_eq!((ru.code, ru.script), ("ru", "Cyrillic"));
//! assert_eq!(detect_language("Talks resumed."), None); // too short to tell: English assumed
//! ```

/// How much of a text is looked at.
pub const SAMPLE_BYTES: usize = 64 * 1024;

/// The fewest function words of another Latin-script language that make a guess.
pub const MIN_HITS: usize = 3;

/// A language guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// ISO 639-1 code, e.g. `de`.
    pub code: &'static str,
    /// English name, e.g. `German`.
    pub name: &'static str,
    /// The writing system the text is mostly in, e.g. `Latin`, `Cyrillic`.
    pub script: &'static str,
}

impl Language {
    /// The warning for a document in this language, for `warnings`.
    pub fn warning(&self) -> String {
        format!(
            "text looks like {} ({}, {} script), not English: it is kept as is, \
             but the models are trained on English news, so tags, entities and events may be wrong",
            self.name, self.code, self.script
        )
    }
}

/// Which language `text` is in, when it is clearly not English; `None` for
/// English, and for text too short or too mixed to tell.
pub fn detect_language(text: &str) -> Option<Language> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];

    let mut counts = [0usize; SCRIPTS.len()];
    let mut letters = 0usize;
    let mut kana = 0usize;
    for c in sample.chars() {
        if !c.is_alphabetic() {
            continue;
        }
        letters += 1;
        if let Some(i) = script_of(c) {
            counts[i] += 1;
        }
        if matches!(c, '\u{3040}'..='\u{30FF}') {
            kana += 1;
        }
    }
    if letters == 0 {
        return None;
    }
    let (best, &n) = counts.iter().enumerate().max_by_key(|&(_, n)| *n)?;
    // A clear majority of the letters, and a few of them at least.
    if n * 2 <= letters || n < 2 {
        return None;
    }
    let script = &SCRIPTS[best];
    match script.name {
        "Latin" => latin_language(sample),
        "Cyrillic" => Some(cyrillic_language(sample)),
        "Arabic" => Some(arabic_language(sample)),
        "Han" if kana * 10 > n => Some(lang("ja", "Japanese", "Han")),
        _ => Some(lang(script.code, script.language, script.name)),
    }
}

const fn lang(code: &'static str, name: &'static str, script: &'static str) -> Language {
    Language { code, name, script }
}

/// A writing system and the language it most likely stands for.
struct Script {
    name: &'static str,
    code: &'static str,
    language: &'static str,
    ranges: &'static [(char, char)],
}

const SCRIPTS: [Script; 16] = [
    Script {
        name: "Latin",
        code: "en",
        language: "English",
        ranges: &[
            ('A', 'Z'),
            ('a', 'z'),
            ('\u{C0}', '\u{24F}'),
            ('\u{1E00}', '\u{1EFF}'),
        ],
    },
    Script {
        name: "Cyrillic",
        code: "ru",
        language: "Russian",
        ranges: &[('\u{400}', '\u{52F}')],
    },
    Script {
        name: "Greek",
        code: "el",
        language: "Greek",
        ranges: &[('\u{370}', '\u{3FF}'), ('\u{1F00}', '\u{1FFF}')],
    },
    Script {
        name: "Arabic",
        code: "ar",
        language: "Arabic",
        ranges: &[
            ('\u{600}', '\u{6FF}'),
            ('\u{750}', '\u{77F}'),
            ('\u{FB50}', '\u{FDFF}'),
            ('\u{FE70}', '\u{FEFF}'),
        ],
    },
    Script {
        name: "Hebrew",
        code: "he",
        language: "Hebrew",
        ranges: &[('\u{590}', '\u{5FF}')],
    },
    Script {
        name: "Devanagari",
        code: "hi",
        language: "Hindi",
        ranges: &[('\u{900}', '\u{97F}')],
    },
    Script {
        name: "Bengali",
        code: "bn",
        language: "Bengali",
        ranges: &[('\u{980}', '\u{9FF}')],
    },
    Script {
        name: "Tamil",
        code: "ta",
        language: "Tamil",
        ranges: &[('\u{B80}', '\u{BFF}')],
    },
    Script {
        name: "Thai",
        code: "th",
        language: "Thai",
        ranges: &[('\u{E00}', '\u{E7F}')],
    },
    Script {
        name: "Georgian",
        code: "ka",
        language: "Georgian",
        ranges: &[('\u{10A0}', '\u{10FF}')],
    },
    Script {
        name: "Armenian",
        code: "hy",
        language: "Armenian",
        ranges: &[('\u{530}', '\u{58F}')],
    },
    Script {
        name: "Hangul",
        code: "ko",
        language: "Korean",
        ranges: &[
            ('\u{1100}', '\u{11FF}'),
            ('\u{3130}', '\u{318F}'),
            ('\u{AC00}', '\u{D7AF}'),
        ],
    },
    // Kana count as Han: Japanese mixes both, see `detect_language`.
    Script {
        name: "Han",
        code: "zh",
        language: "Chinese",
        ranges: &[
            ('\u{3040}', '\u{30FF}'),
            ('\u{3400}', '\u{4DBF}'),
            ('\u{4E00}', '\u{9FFF}'),
            ('\u{F900}', '\u{FAFF}'),
        ],
    },
    Script {
        name: "Ethiopic",
        code: "am",
        language: "Amharic",
        ranges: &[('\u{1200}', '\u{137F}')],
    },
    Script {
        name: "Gujarati",
        code: "gu",
        language: "Gujarati",
        ranges: &[('\u{A80}', '\u{AFF}')],
    },
    Script {
        name: "Khmer",
        code: "km",
        language: "Khmer",
        ranges: &[('\u{1780}', '\u{17FF}')],
    },
];

fn script_of(c: char) -> Option<usize> {
    SCRIPTS
        .iter()
        .position(|s| s.ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&c)))
}

/// Cyrillic: Ukrainian, Bulgarian and Serbian have letters Russian lacks.
fn cyrillic_language(sample: &str) -> Language {
    let has = |set: &[char]| sample.chars().filter(|c| set.contains(c)).count();
    let ukrainian = has(&['і', 'ї', 'є', 'ґ', 'І', 'Ї', 'Є', 'Ґ']);
    let serbian = has(&['ђ', 'ј', 'љ', 'њ', 'ћ', 'џ', 'Ђ', 'Ј', 'Љ', 'Њ', 'Ћ', 'Џ']);
    let russian = has(&['ы', 'э', 'ё', 'Ы', 'Э', 'Ё']);
    if ukrainian > russian && ukrainian >= serbian && ukrainian > 0 {
        lang("uk", "Ukrainian", "Cyrillic")
    } else if serbian > russian && serbian > 0 {
        lang("sr", "Serbian", "Cyrillic")
    } else {
        lang("ru", "Russian", "Cyrillic")
    }
}

/// Arabic script: Persian and Urdu add letters of their own.
fn arabic_language(sample: &str) -> Language {
    let has = |set: &[char]| sample.chars().filter(|c| set.contains(c)).count();
    let urdu = has(&['ے', 'ں', 'ٹ', 'ڈ', 'ڑ']);
    let persian = has(&['پ', 'چ', 'ژ', 'گ', 'ی']);
    if urdu > 0 && urdu * 2 >= persian {
        lang("ur", "Urdu", "Arabic")
    } else if persian > 2 {
        lang("fa", "Persian", "Arabic")
    } else {
        lang("ar", "Arabic", "Arabic")
    }
}

/// Function words of Latin-script languages (lower case), written for this
/// detector. English is first. Words shared by several languages count for
/// each of them; the distinctive ones decide.
const FUNCTION_WORDS: [(&str, &str, &[&str]); 12] = [
    (
        "en",
        "English",
        &[
            "the", "and", "of", "to", "in", "is", "that", "for", "it", "was", "on", "with", "he",
            "said", "by", "at", "from", "his", "be", "are", "have", "has", "but", "not", "this",
            "they", "were", "which", "an", "will", "who", "been", "their", "would",
        ],
    ),
    (
        "de",
        "German",
        &[
            "der", "die", "und", "das", "ist", "nicht", "den", "mit", "von", "sich", "des", "auf",
            "für", "ein", "eine", "dem", "auch", "es", "im", "zu", "wird", "wurde", "sie", "hat",
            "nach", "bei", "aus", "oder", "aber", "dass",
        ],
    ),
    (
        "fr",
        "French",
        &[
            "le", "la", "les", "des", "et", "est", "une", "un", "du", "dans", "que", "qui", "pour",
            "pas", "sur", "au", "il", "elle", "avec", "ce", "par", "sont", "ont", "mais", "été",
            "aux", "cette", "ses", "leur", "plus",
        ],
    ),
    (
        "es",
        "Spanish",
        &[
            "el", "la", "los", "las", "de", "que", "en", "del", "se", "por", "un", "una", "con",
            "para", "es", "su", "al", "lo", "como", "más", "pero", "sus", "fue", "ha", "este",
            "esta", "también", "entre", "según", "y",
        ],
    ),
    (
        "it",
        "Italian",
        &[
            "il", "di", "che", "la", "è", "per", "un", "una", "del", "della", "non", "sono", "gli",
            "le", "con", "si", "da", "dei", "nel", "alla", "anche", "ha", "al", "più", "delle",
            "questo", "ma", "essere", "stato", "ed",
        ],
    ),
    (
        "pt",
        "Portuguese",
        &[
            "os", "as", "de", "que", "do", "da", "em", "um", "uma", "para", "com", "não", "no",
            "na", "por", "dos", "das", "se", "ao", "mais", "foi", "ele", "ela", "são", "pelo",
            "pela", "também", "seu", "sua", "à",
        ],
    ),
    (
        "nl",
        "Dutch",
        &[
            "de", "het", "een", "en", "van", "is", "dat", "op", "te", "in", "niet", "zijn", "met",
            "voor", "die", "er", "aan", "ook", "als", "bij", "door", "maar", "wordt", "werd",
            "naar", "om", "heeft", "hij", "zij", "nog",
        ],
    ),
    (
        "sv",
        "Swedish",
        &[
            "och", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har",
            "inte", "om", "ett", "var", "jag", "de", "sig", "från", "men", "vid", "också", "efter",
            "kan", "när", "så", "hade", "detta",
        ],
    ),
    (
        "pl",
        "Polish",
        &[
            "nie", "na", "się", "do", "że", "to", "jest", "jak", "po", "ale", "od", "za", "przez",
            "dla", "co", "tak", "jego", "już", "są", "był", "była", "tym", "które", "który",
            "oraz", "czy", "jej", "ich", "może", "tego",
        ],
    ),
    (
        "tr",
        "Turkish",
        &[
            "ve",
            "bir",
            "bu",
            "da",
            "de",
            "için",
            "ile",
            "olarak",
            "çok",
            "daha",
            "ne",
            "gibi",
            "ama",
            "olan",
            "sonra",
            "kadar",
            "her",
            "değil",
            "ki",
            "mi",
            "ise",
            "göre",
            "tarafından",
            "yılında",
            "şu",
            "oldu",
            "diye",
            "bunu",
            "dedi",
            "olduğunu",
        ],
    ),
    (
        "id",
        "Indonesian",
        &[
            "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari", "dalam", "akan",
            "pada", "juga", "ke", "karena", "ada", "oleh", "mereka", "sudah", "saya", "bahwa",
            "telah", "atau", "tersebut", "kata", "bisa", "lebih", "menjadi", "para", "seperti",
        ],
    ),
    (
        "ro",
        "Romanian",
        &[
            "și", "în", "că", "cu", "pe", "din", "nu", "la", "este", "să", "mai", "care", "pentru",
            "au", "fost", "sunt", "dar", "sau", "acest", "această", "lui", "despre", "după", "va",
            "iar", "fi", "ca", "spus", "între", "unei",
        ],
    ),
];

/// Latin script: the language whose function words are most frequent.
fn latin_language(sample: &str) -> Option<Language> {
    let mut hits = [0usize; FUNCTION_WORDS.len()];
    let mut word = String::new();
    let mut count = |word: &mut String| {
        if !word.is_empty() {
            for (i, (_, _, words)) in FUNCTION_WORDS.iter().enumerate() {
                if words.contains(&word.as_str()) {
                    hits[i] += 1;
                }
            }
            word.clear();
        }
    };
    for c in sample.chars() {
        if c.is_alphabetic() {
            word.extend(c.to_lowercase());
        } else {
            count(&mut word);
        }
    }
    count(&mut word);
    let english = hits[0];
    let (best, &n) = hits
        .iter()
        .enumerate()
        .skip(1)
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))?;
    // Clearly more than English has (2:1), and enough to be a pattern.
    if n < MIN_HITS || n <= english * 2 {
        return None;
    }
    let (code, name, _) = FUNCTION_WORDS[best];
    Some(lang(code, name, "Latin"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        detect_language(text).map_or("en?", |l| l.code)
    }

    #[test]
    fn english_and_unknowable_text_give_none() {
        assert_eq!(
            code(
                "The minister said on Tuesday that the talks had failed and that he would resign."
            ),
            "en?"
        );
        assert_eq!(code(""), "en?");
        assert_eq!(code("12,000 -- 3.5% !!"), "en?");
        assert_eq!(code("Hello"), "en?");
        // An English report quoting a French sentence is English.
        assert_eq!(
            code("The president, speaking in Paris, said \"nous sommes avec vous\" and left. The crowd cheered as he walked to the car, and the police closed the street."),
            "en?"
        );
    }

    #[test]
    fn latin_script_languages() {
        assert_eq!(code("Le ministre a déclaré que les négociations avec les voisins ne sont pas terminées."), "fr");
        assert_eq!(code("El ministro dijo que las negociaciones con los vecinos no han terminado y que se reunirán de nuevo."), "es");
        assert_eq!(code("Il ministro ha detto che i negoziati con i vicini non sono finiti e che si incontreranno ancora."), "it");
        assert_eq!(code("O ministro disse que as negociações com os vizinhos não terminaram e que se reunirão em breve com os outros."), "pt");
        assert_eq!(code("De minister zei dat het overleg met de buren niet is beëindigd en dat zij volgende week weer praten."), "nl");
        assert_eq!(code("Minister powiedział, że rozmowy z sąsiadami nie są zakończone i że to może potrwać, ale już jest postęp."), "pl");
        assert_eq!(code("Bakan, komşularla görüşmelerin bitmediğini ve bu hafta da devam edeceğini söyledi, ama daha çok iş var ve bir karar için erken."), "tr");
        assert_eq!(code("Menteri mengatakan bahwa perundingan dengan tetangga belum selesai dan akan dilanjutkan pada minggu ini."), "id");
    }

    #[test]
    fn other_scripts() {
        assert_eq!(
            code("Міністр заявив, що переговори з сусідами ще не завершені і тривають."),
            "uk"
        );
        assert_eq!(
            code("Ο υπουργός δήλωσε ότι οι συνομιλίες θα συνεχιστούν."),
            "el"
        );
        assert_eq!(code("قال الوزير إن المحادثات ستستمر الأسبوع المقبل."), "ar");
        assert_eq!(code("השר אמר כי השיחות יימשכו בשבוע הבא."), "he");
        assert_eq!(code("मंत्री ने कहा कि बातचीत अगले सप्ताह जारी रहेगी।"), "hi");
        assert_eq!(code("部长说，谈判将于下周继续。"), "zh");
        assert_eq!(code("大臣は、交渉は来週も続くと述べた。"), "ja");
        assert_eq!(
            code("장관은 협상이 다음 주에도 계속될 것이라고 말했다."),
            "ko"
        );
        assert_eq!(code("รัฐมนตรีกล่าวว่าการเจรจาจะดำเนินต่อไป"), "th");
    }

    #[test]
    fn only_the_sample_is_read() {
        let mut text = "x".repeat(SAMPLE_BYTES - 1);
        text.push('é'); // straddles the sample's end
        text.push_str(&"Министр заявил. ".repeat(1000));
        assert_eq!(detect_language(&text), None);
        assert!(lang("de", "German", "Latin")
            .warning()
            .contains("German (de, Latin script)"));
    }
}
