//! Mention detection: names from the recogniser, titles and roles, nominal groups and pronouns, with the phrase analysis (nationality, institution, role, number, gender) each mention carries.

use super::*;

impl<'a> Resolver<'a> {
    /// Read a phrase's role, country and sector from its words.
    pub(super) fn analyze_phrase(&self, r: Range<usize>) -> PhraseInfo {
        let lex = self.r.lexicon;
        let mut info = PhraseInfo::default();
        let mut inst_sector = None;
        let mut mod_sector: Option<&'static str> = None;
        let mut head: Option<(usize, &lexicon::Role)> = None;
        let mut role_start: Option<usize> = None;
        let mut ngo_modifier = false;
        let mut retired = false;
        let mut intergovernmental = false;
        let mut i = r.start;
        while i < r.end {
            let w = self.lower[i].as_str();
            if is_former(w) {
                info.former = true;
                i += 1;
                continue;
            }
            if w == "retired" {
                retired = true;
                i += 1;
                continue;
            }
            if let Some((inst, n)) = self.institution_at(i, r.end) {
                // "Ambassador to the IAEA" is accredited to the body, not
                // one of its officials.
                let accredited = (r.start..i)
                    .rev()
                    .find(|&k| self.lower[k] != "the")
                    .is_some_and(|k| self.lower[k] == "to");
                if let Some(c) = inst.country.filter(|_| !accredited) {
                    info.country.get_or_insert_with(|| c.to_string());
                    intergovernmental |= matches!(c, "IGO" | "EUR");
                }
                inst_sector = inst.sector.or(inst_sector);
                i += n;
                continue;
            }
            // A rank after a role is a rank, not the role: "Defence Minister
            // General Boubacar Hamadou"; "Director General", "Attorney
            // General", "Secretary General" are the role before it.
            if matches!(
                w,
                "general" | "colonel" | "admiral" | "marshal" | "brigadier" | "major"
            ) && head.is_some_and(|(_, role)| role.kind == RoleKind::Person)
            {
                i += 1;
                continue;
            }
            let pro = self.after_pro_prefix(i);
            if let Some((c, n)) = self.country_at(i, r.end).filter(|_| !pro) {
                // "pro-Russian" is one token and no nationality; a country
                // name followed by 's or used as a modifier is.
                info.country.get_or_insert(c);
                i += n;
                continue;
            }
            if matches!(
                w,
                "rights" | "aid" | "humanitarian" | "charity" | "advocacy"
            ) {
                ngo_modifier = true;
            }
            if let Some(role) = lex.role(w) {
                // A body word before the head is a modifier ("police spokesman").
                head = Some((i, role));
                role_start.get_or_insert(i);
                if let Some(Some(s)) = lex.modifiers.get(w) {
                    mod_sector = Some(s);
                }
            } else if let Some(s) = lex.modifiers.get(w) {
                if s.is_some() {
                    mod_sector = *s;
                }
                role_start.get_or_insert(i);
            } else if (matches!(
                w,
                "deputy" | "vice" | "acting" | "senior" | "top" | "chief" | "first" | "state"
            ) || (is_capitalised(self.text(i)) && self.upos(i) != Some(Upos::Det)))
                && w != "'s"
            {
                role_start.get_or_insert(i);
            }
            i += 1;
        }
        let Some((h, role)) = head else {
            // Without a role or body word, modifiers say nothing ("Defence Pact").
            let _ = mod_sector;
            if let Some(s) = inst_sector {
                info.sector = Some(s);
            }
            if info.former {
                info.sector = Some("ELI");
            }
            return info;
        };
        let head_word = self.lower[h].clone();
        // The role text runs from its first word to the end of the phrase
        // ("Secretary of State"), trimmed of possessive markers.
        let start = role_start.unwrap_or(h).min(h);
        let mut role_end = r.end;
        while role_end > h + 1 && matches!(self.lower[role_end - 1].as_str(), "," | "'s" | "’s") {
            role_end -= 1;
        }
        let role_text = self.span_text(&(start..role_end));
        if role.kind == RoleKind::Person {
            info.role = Some(role_text.to_string());
        }
        info.role_kind = Some(role.kind);
        info.gender = Some(role.gender);
        info.sector = if is_generic_head(&head_word) {
            // A head's own sector outranks a GOV modifier: "defence forces"
            // are MIL, "defence officials" GOV.
            let modifier = mod_sector.filter(|s| *s != "GOV" || role.sector.is_none());
            let sector = inst_sector.or(modifier).or(role.sector);
            // Officials of an intergovernmental body ("IAEA Director
            // General", "AU Commissioner") act for member governments.
            if sector.is_none() && intergovernmental && role.kind == RoleKind::Person {
                Some("GOV")
            } else {
                sector
            }
        } else if role.sector.is_none() && intergovernmental && role.kind == RoleKind::Person {
            // "the OAS' special rapporteur", "the AU's coordinator".
            Some("GOV")
        } else {
            role.sector
        };
        // "the largest opposition party": a party in opposition.
        let opposition = (r.start..h).any(|k| self.lower[k] == "opposition");
        if role.sector == Some("PTY") && opposition {
            info.sector = Some("OPP");
        }
        // "a retired general", "a retired chief justice": a former official.
        if retired
            && role.kind == RoleKind::Person
            && matches!(
                info.sector,
                Some("GOV" | "MIL" | "COP" | "SPY" | "JUD" | "LEG")
            )
        {
            info.former = true;
        }
        if ngo_modifier
            && matches!(
                head_word.as_str(),
                "group" | "organisation" | "organization" | "network" | "charity" | "watchdog"
            )
        {
            info.sector = Some("SOC");
            info.country.get_or_insert_with(|| "NGO".to_string());
        }
        if info.former {
            info.sector = Some("ELI");
        }
        info.head_word = Some(head_word);
        info
    }
    /// Whether the word at `i` follows "pro-"/"anti-" ("pro-Russian" split
    /// into tokens): only a hyphen written against the word counts, so the
    /// dash after a dateline ("(Meridian) - Kyrgyz Foreign Minister ...")
    /// leaves the nationality a nationality.
    pub(super) fn after_pro_prefix(&self, i: usize) -> bool {
        if i == 0 {
            return false;
        }
        let touching =
            |a: usize, b: usize| self.doc.token(a).range().end == self.doc.token(b).range().start;
        match self.lower[i - 1].as_str() {
            "pro" | "anti" => true,
            "-" => {
                touching(i - 1, i)
                    && i >= 2
                    && touching(i - 2, i - 1)
                    && matches!(self.lower[i - 2].as_str(), "pro" | "anti")
            }
            _ => false,
        }
    }
    /// The title phrase right before a person's name ("U.S. Secretary of State"
    /// before "John Kerry"): its tokens, when it holds a role or a nationality.
    pub(super) fn title_before(&self, name: &Range<usize>, head: usize) -> Option<Range<usize>> {
        let sentence_start = self
            .doc
            .sentence(self.sent_of[name.start])
            .token_indices()
            .start;
        let mut j = name.start;
        while j > sentence_start {
            let k = j - 1;
            let w = self.lower[k].as_str();
            let t = self.text(k);
            // "Vice-President" split at its hyphen is one title word.
            let hyphen = w == "-"
                && k > sentence_start
                && self.doc.token(k - 1).range().end == self.doc.token(k).range().start
                && self.doc.token(k).range().end == self.doc.token(k + 1).range().start;
            let titleish = hyphen
                || self.r.lexicon.role(w).is_some()
                || self.r.lexicon.modifiers.contains_key(w)
                || is_former(w)
                || matches!(
                    w,
                    "deputy"
                        | "vice"
                        | "acting"
                        | "senior"
                        | "top"
                        | "chief"
                        | "of"
                        | "'s"
                        | "’s"
                        | "state"
                )
                || (is_capitalised(t) && !matches!(self.upos(k), Some(Upos::Det | Upos::Punct)))
                || self.upos(k) == Some(Upos::Adj)
                // "EU foreign policy chief": a noun compounded into the title.
                || (self.upos(k) == Some(Upos::Noun) && self.deprel(k) == Some(Deprel::Compound))
                // "Ambassador to the IAEA".
                || (w == "the" && k > sentence_start && matches!(self.lower[k - 1].as_str(), "to" | "of"))
                // "AU Peace and Security Commissioner".
                || (w == "and"
                    && k > sentence_start
                    && is_capitalised(self.text(k - 1))
                    && is_capitalised(self.text(k + 1)));
            // Another person's name ends the title: "Trade Representative
            // Daniel Whitcomb and Chinese Vice Premier Han Zhiyuan".
            let other_name = self.cands.iter().any(|c| {
                c.kind == MentionKind::Name
                    && c.etype == EntityType::Person
                    && c.tokens.contains(&k)
            });
            if !titleish || other_name {
                break;
            }
            // Lexicon words are title words wherever the parser attached them.
            let lexical = hyphen
                || self.r.lexicon.role(w).is_some()
                || self.r.lexicon.modifiers.contains_key(w)
                || is_former(w)
                || self.country_at(k, k + 1).is_some()
                || self.institution_at(k, k + 1).is_some();
            if self.parsed && !lexical && !self.descends(k, head, &(k..name.end)) {
                // "of" and possessives attach to a word of the title, not to the name.
                let attaches_inside = self.head(k).is_some_and(|h| h >= k && h < name.end);
                if !attaches_inside {
                    // The parser may hang a capitalised title on its first
                    // word ("AU Peace and Security Commissioner X" with
                    // "AU" as the head): a run of title words that starts
                    // with an institution or a country is the title.
                    if let Some(m) = self.institution_led_title(k, sentence_start) {
                        j = m;
                    }
                    break;
                }
            }
            j = k;
        }
        // Trim leading "of"/possessive debris.
        while j < name.start && matches!(self.lower[j].as_str(), "of" | "'s" | "’s") {
            j += 1;
        }
        (j < name.start).then_some(j..name.start)
    }
    /// The start of a title run ending at `k` (capitalised words, "and",
    /// "of", "for") whose first words name an institution or a country,
    /// within five words: "AU Peace and Security" -> the token of "AU".
    fn institution_led_title(&self, k: usize, sentence_start: usize) -> Option<usize> {
        let mut m = k;
        loop {
            let w = self.lower[m].as_str();
            let word = matches!(w, "and" | "of" | "for")
                || (is_capitalised(self.text(m))
                    && !matches!(self.upos(m), Some(Upos::Det | Upos::Punct)));
            if !word {
                return None;
            }
            if is_capitalised(self.text(m))
                && (self.institution_at(m, k + 1).is_some() || self.country_at(m, k + 1).is_some())
            {
                return Some(m);
            }
            if m == sentence_start || k - m >= 4 {
                return None;
            }
            m -= 1;
        }
    }
    /// Left edge of a nominal headed by `h`: its contiguous left dependents.
    pub(super) fn nominal_span(&self, h: usize) -> Range<usize> {
        let sentence_start = self.doc.sentence(self.sent_of[h]).token_indices().start;
        let mut j = h;
        while j > sentence_start {
            let k = j - 1;
            // "the Saudi-led coalition", "Iranian-backed militias", "al
            // Qaeda-linked militants", "the Hamas-run health ministry": the
            // participle joined to a nationality or a group's name by a
            // hyphen is a modifier, the name with it.
            let led = |k: usize| {
                matches!(
                    self.lower[k].as_str(),
                    "led"
                        | "backed"
                        | "linked"
                        | "run"
                        | "allied"
                        | "affiliated"
                        | "aligned"
                        | "controlled"
                        | "held"
                        | "sponsored"
                        | "funded"
                        | "supported"
                        | "owned"
                        | "inspired"
                ) && k >= sentence_start + 2
                    && self.lower[k - 1] == "-"
                    && self.doc.token(k - 1).range().end == self.doc.token(k).range().start
                    && self.doc.token(k - 2).range().end == self.doc.token(k - 1).range().start
            };
            if led(k) {
                j = k - 2;
                continue;
            }
            if matches!(
                self.upos(k),
                Some(Upos::Punct | Upos::Verb | Upos::Adp | Upos::Sconj | Upos::Cconj)
            ) {
                break;
            }
            if self.parsed {
                if !self.descends(k, h, &(k..h + 1)) {
                    break;
                }
            } else if !matches!(
                self.upos(k),
                Some(Upos::Det | Upos::Adj | Upos::Noun | Upos::Propn | Upos::Num)
            ) {
                break;
            }
            j = k;
        }
        if j == h && self.parsed {
            j = self.headless_modifiers(h).unwrap_or(h);
        }
        j..h + 1
    }
    /// The start of "the water resources ministry" when the parser hung
    /// "the water resources" elsewhere and left "ministry" bare: a run of
    /// nouns and adjectives right before a body or role noun that has no
    /// left dependent of its own, opened by a determiner. Two noun phrases
    /// do not stand side by side without one, so the run is its modifier.
    fn headless_modifiers(&self, h: usize) -> Option<usize> {
        let sentence_start = self.doc.sentence(self.sent_of[h]).token_indices().start;
        let mut j = h;
        while j > sentence_start {
            let k = j - 1;
            match self.upos(k) {
                Some(Upos::Noun | Upos::Adj) if k + 6 > h => j = k,
                Some(Upos::Det)
                    if j < h && matches!(self.lower[k].as_str(), "the" | "a" | "an") =>
                {
                    return Some(k);
                }
                _ => return None,
            }
        }
        None
    }
    pub(super) fn push_cand(
        &mut self,
        tokens: Range<usize>,
        kind: MentionKind,
        etype: EntityType,
        info: PhraseInfo,
    ) -> usize {
        let head = self.span_head(&tokens);
        let range = self.range_of(&tokens);
        let key = name_key(self.doc.slice(range));
        let number = match self.doc.token(head).xpos() {
            Some(Xpos::Nns | Xpos::Nnps) => Number::Plural,
            _ => match info.role_kind {
                Some(RoleKind::Group) => Number::Plural,
                Some(RoleKind::Body) => Number::Either,
                _ => Number::Singular,
            },
        };
        let first = self.lower[tokens.start].as_str();
        let indefinite = matches!(first, "a" | "an" | "another" | "some" | "one");
        self.cands.push(Cand {
            tokens,
            range,
            kind,
            etype,
            head,
            key,
            info,
            number,
            government_of: None,
            owner: None,
            indefinite,
            pronoun_gender: None,
            cluster: None,
        });
        self.cands.len() - 1
    }
    /// Name mentions from the recogniser, with title phrases, metonymy and codes.
    pub(super) fn collect_names(&mut self) {
        let source = self.doc.meta.source.clone().unwrap_or_default();
        let mut spans = Vec::new();
        for e in &self.doc.entities {
            for m in &e.mentions {
                if let (Some(a), Some(b)) = (
                    self.token_at(m.range.start),
                    self.token_ending_at(m.range.end),
                ) {
                    spans.push((a..b + 1, e.entity_type));
                }
            }
        }
        spans.sort_by_key(|(r, _)| r.start);
        let spans = self.mend_names(spans);
        let spans = self.split_titled_names(spans);
        for (tokens, etype) in self.join_formal_names(spans) {
            let (tokens, etype) = self.place_span(tokens, etype);
            let text = self.span_text(&tokens).to_string();
            // The outlet's own name in a dateline ("(Meridian)") is no actor.
            let in_parens = tokens.start > 0
                && self.lower[tokens.start - 1] == "("
                && self.lower.get(tokens.end).is_some_and(|w| w == ")");
            // Without a source, a parenthesised name right before the opening
            // sentence's dateline dash is the outlet too ("ADEN (Meridian) -").
            let before_dateline_dash = self.sent_of[tokens.start] == 0
                && self
                    .lower
                    .get(tokens.end + 1)
                    .is_some_and(|w| matches!(w.as_str(), "-" | "--" | "\u{2014}" | "\u{2013}"));
            if in_parens
                && (before_dateline_dash
                    || (!source.is_empty() && source.starts_with(text.as_str())))
            {
                continue;
            }
            let head = self.span_head(&tokens);
            let mut etype = etype;
            let mut info = PhraseInfo::default();
            if etype == EntityType::Norp {
                if let Some((c, _)) = self.country_at(tokens.start, tokens.end) {
                    self.vote(&c, 1);
                    self.named_countries.push((self.sent_of[head], c));
                }
                // Nationality adjectives are read as modifiers of the phrase they are in.
                let plural_noun =
                    matches!(self.doc.token(head).xpos(), Some(Xpos::Nns | Xpos::Nnps))
                        || (self.upos(head) != Some(Upos::Adj) && text.ends_with('s'));
                if !plural_noun || self.deprel(head) == Some(Deprel::Amod) {
                    continue;
                }
                etype = EntityType::Person;
                if let Some((c, _)) = self.country_at(tokens.start, tokens.end) {
                    info.country = Some(c.clone());
                    self.doc_countries.push(c);
                }
                let c = self.push_cand(tokens, MentionKind::Name, etype, info);
                self.cands[c].number = Number::Plural;
                continue;
            }
            let lex = self.r.lexicon;
            match etype {
                EntityType::Person => {
                    if let Some(t) = self.title_before(&tokens, head) {
                        info = self.analyze_phrase(t);
                    }
                    if info.gender.is_none_or(|g| g == Gender::Unknown) {
                        let first = self.text(tokens.start);
                        info.gender = self
                            .r
                            .gazetteer
                            .lookup_kind(first, GazKind::FirstName)
                            .find_map(|e| e.gender)
                            .map(|g| match g {
                                newsgraph_nlp::ner::Gender::Male => Gender::Male,
                                newsgraph_nlp::ner::Gender::Female => Gender::Female,
                                newsgraph_nlp::ner::Gender::Either => Gender::Unknown,
                            });
                    }
                    // "fled the country", "ousted": no longer in office.
                    if self.parsed && self.fled(head) {
                        info.former = true;
                        if info.sector.is_some() {
                            info.sector = Some("ELI");
                        }
                        // "... in Ukraine caused X to flee the country": the
                        // country is the last one named before, in the sentence.
                        if info.country.is_none() {
                            let s = self.sent_of[head];
                            info.country = self
                                .cands
                                .iter()
                                .rev()
                                .take_while(|c| self.sent_of[c.head] == s)
                                .find(|c| {
                                    self.r
                                        .gazetteer
                                        .is_a(self.doc.slice(c.range), &[GazKind::Country])
                                })
                                .and_then(|c| c.info.country.clone());
                        }
                    }
                }
                EntityType::Org
                | EntityType::Gpe
                | EntityType::Loc
                | EntityType::Fac
                | EntityType::Misc => {
                    if let Some(claim) = lex.partial.get(&name_key(&text).replace("the ", "")) {
                        info.country = Some(claim.to_string());
                        info.sector = Some("PRE");
                    } else if let Some(inst) = lex.institution(&text) {
                        info.country = inst.country.map(str::to_string);
                        if let Some(c) = inst.country {
                            self.institution_countries.push(c);
                        }
                        info.sector = inst.sector;
                        if etype != EntityType::Org && !inst.seat {
                            etype = EntityType::Org;
                        }
                        if inst.seat {
                            let c =
                                self.push_cand(tokens, MentionKind::Name, EntityType::Org, info);
                            self.cands[c].government_of = inst.country.map(str::to_string);
                            continue;
                        }
                    } else if etype == EntityType::Org {
                        info = self.analyze_phrase(tokens.clone());
                        info.role = None;
                        if info.sector.is_none() {
                            info.sector = self.org_name_sector(&text, &tokens);
                        }
                        // "the Russian Defence Ministry", "Oman's Foreign
                        // Ministry": a nationality or country's possessive
                        // right before the name.
                        if info.country.is_none() && tokens.start > 0 {
                            let s = self.doc.sentence(self.sent_of[head]).token_indices().start;
                            let before = tokens.start - 1;
                            let at = if matches!(self.lower[before].as_str(), "'s" | "’s") {
                                before.checked_sub(1).filter(|&b| b >= s)
                            } else {
                                Some(before).filter(|&b| b >= s)
                            };
                            let country = at
                                .filter(|_| !is_water_body(&text))
                                .and_then(|b| self.country_at(b, b + 1));
                            if let Some((c, _)) = country {
                                info.country = Some(c);
                            }
                        }
                    } else if let Some(code) = self
                        .gpe_country(&text)
                        .or_else(|| self.country_of_kind_phrase(tokens.start))
                    {
                        let dateline = tokens.start == 0
                            && self.lower.get(tokens.end).is_some_and(|w| w == ",");
                        let is_country = self.r.gazetteer.is_a(&text, &[GazKind::Country]);
                        self.vote(
                            &code,
                            if dateline {
                                3
                            } else if is_country {
                                1
                            } else {
                                0
                            },
                        );
                        self.doc_countries.push(code.clone());
                        if !dateline {
                            self.named_countries
                                .push((self.sent_of[head], code.clone()));
                        }
                        info.country = Some(code);
                    }
                }
                _ => {}
            }
            let c = self.push_cand(tokens.clone(), MentionKind::Name, etype, info);
            if matches!(etype, EntityType::Gpe | EntityType::Loc)
                && self.is_capital(&text)
                && self.used_as_agent(head, &tokens)
            {
                let country = self.cands[c].info.country.clone();
                self.cands[c].government_of = country;
                if self.cands[c].government_of.is_some() {
                    self.cands[c].etype = EntityType::Org;
                }
            }
            let cand = &self.cands[c];
            if matches!(cand.etype, EntityType::Gpe | EntityType::Loc)
                && cand.government_of.is_none()
                && !(tokens.start == 0 && self.lower.get(tokens.end).is_some_and(|w| w == ","))
            {
                if let Some(code) = cand.info.country.clone() {
                    self.located_countries.push((self.sent_of[head], code));
                }
            }
        }
    }
    /// The sector an organisation's name gives when no role word does: its
    /// words ("Demerara Broadcast Network" JRN, "National Elections
    /// Commission" GOV, `org_words.txt`), or a state body named "... of
    /// <country>" ("Atomic Energy Organization of Iran", "Central Bank of
    /// Kenya"): GOV.
    pub(super) fn org_name_sector(
        &self,
        text: &str,
        tokens: &Range<usize>,
    ) -> Option<&'static str> {
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        if let Some(s) = self.r.lexicon.org_sector(&words) {
            return Some(s);
        }
        let of = (tokens.start + 1..tokens.end).find(|&k| self.lower[k] == "of")?;
        let state_body = matches!(
            self.lower[of - 1].as_str(),
            "organization"
                | "organisation"
                | "agency"
                | "authority"
                | "bank"
                | "office"
                | "council"
                | "service"
                | "ministry"
                | "board"
        );
        let country = self
            .country_at(of + 1, tokens.end)
            .filter(|(_, n)| of + 1 + n == tokens.end);
        (state_body && country.is_some()).then_some("GOV")
    }
    /// Names the recogniser cut, whole again (spans sorted by start):
    /// - at a hyphen written against both words: an Arabic particle before
    ///   it ("Qadhi" -> "al-Qadhi", "Al" + "Masirah" -> "Al-Masirah"), a
    ///   number after it ("Kambarata-" / "Kambarata" -> "Kambarata-1",
    ///   "Su-30"), a person's second surname ("Kwabena Asante" ->
    ///   "Kwabena Asante-Mensah"); two places joined by a hyphen stay two
    ///   ("U.S.-China talks");
    /// - at a particle: "Fadl" + "al-Qadhi", "Osama" + "bin" + "Laden";
    /// - before an organisation's kind word: "Green Farmers" + "' Party",
    ///   "Popular" + "Front", "Al-Masirah" + "television" (a broadcaster
    ///   after a name that is no country or nationality); a MISC name that
    ///   ends in one is an organisation.
    fn mend_names(
        &self,
        spans: Vec<(Range<usize>, EntityType)>,
    ) -> Vec<(Range<usize>, EntityType)> {
        let n = self.doc.len();
        let touching =
            |a: usize, b: usize| self.doc.token(a).range().end == self.doc.token(b).range().start;
        // A hyphen at `k` written against the words on both sides, in one sentence.
        let joining_hyphen = |k: usize| {
            k > 0
                && k + 1 < n
                && self.lower[k] == "-"
                && touching(k - 1, k)
                && touching(k, k + 1)
                && self.sent_of[k - 1] == self.sent_of[k + 1]
        };
        let particle = |k: usize| NAME_PARTICLES.contains(&self.lower[k].as_str());
        let numeric = |k: usize| self.text(k).starts_with(|c: char| c.is_ascii_digit());
        let mut out: Vec<(Range<usize>, EntityType)> = Vec::with_capacity(spans.len());
        // Organisations named with their kind word, without it: "green farmers".
        let mut short_orgs: Vec<String> = Vec::new();
        let mut spans = spans.into_iter().peekable();
        while let Some((mut r, mut etype)) = spans.next() {
            if r.is_empty() {
                out.push((r, etype));
                continue;
            }
            // "Kambarata-": a span ending at its hyphen.
            if r.len() > 1 && self.lower[r.end - 1] == "-" {
                r.end -= 1;
            }
            // "al-Qadhi" cut to "Qadhi".
            if r.start >= 2 && joining_hyphen(r.start - 1) && particle(r.start - 2) {
                r.start -= 2;
            }
            // A person's double surname: after a first name ("Kwabena
            // Asante-Mensah"), or as a name written whole before ("Asante-
            // Mensah" after "Kwabena Asante-Mensah"); "the Biden-Xi summit"
            // joins two people.
            let double_surname = |out: &[(Range<usize>, EntityType)], whole: Range<usize>| {
                whole.start + 3 < whole.end || {
                    let text = self.span_text(&whole);
                    out.iter().any(|(o, t)| {
                        *t == EntityType::Person && {
                            let earlier = self.span_text(o);
                            earlier.len() > text.len()
                                && earlier.ends_with(text)
                                && earlier[..earlier.len() - text.len()].ends_with(' ')
                        }
                    })
                }
            };
            // Joined to the name before it: "Al" + "-" + "Masirah", "Asante"
            // + "-" + "Mensah", "Fadl" + "al-Qadhi", "Osama" + "bin" + "Laden".
            if let Some((prev, prev_type)) = out.last() {
                let (prev, prev_type) = (prev.clone(), *prev_type);
                let same_sentence = self.sent_of[prev.end - 1] == self.sent_of[r.start];
                let person = prev_type == EntityType::Person || etype == EntityType::Person;
                let hyphen_joined = prev.end + 1 == r.start
                    && joining_hyphen(prev.end)
                    && ((prev.len() == 1 && particle(prev.start))
                        || (prev_type == EntityType::Person
                            && etype == EntityType::Person
                            && double_surname(&out, prev.start..r.end)));
                let particle_joined = person
                    && ((prev.end == r.start && particle(r.start))
                        || (prev.end + 1 == r.start
                            && particle(prev.end)
                            && !joining_hyphen(prev.end)));
                if same_sentence && (hyphen_joined || particle_joined) {
                    if person {
                        etype = EntityType::Person;
                    }
                    r.start = prev.start;
                    out.pop();
                }
            }
            // "Kambarata-1", "Kwabena Asante-Mensah".
            while r.end + 1 < n
                && joining_hyphen(r.end)
                && (numeric(r.end + 1)
                    || (etype == EntityType::Person
                        && is_capitalised(self.text(r.end + 1))
                        && double_surname(&out, r.start..r.end + 2)))
            {
                r.end += 2;
            }
            // "Green Farmers' Party", "Popular Front", "Al-Masirah television".
            let same = |k: usize| k < n && self.sent_of[k] == self.sent_of[r.end - 1];
            let plural_possessive = same(r.end)
                && matches!(self.lower[r.end].as_str(), "'" | "\u{2019}")
                && touching(r.end - 1, r.end)
                && self.lower[r.end - 1].ends_with('s');
            let kind_at = r.end + usize::from(plural_possessive);
            if same(kind_at) && etype != EntityType::Person {
                let w = self.lower[kind_at].as_str();
                let capital = is_capitalised(self.text(kind_at));
                let text = self.span_text(&r);
                let broadcaster = matches!(w, "television" | "tv" | "radio")
                    && etype != EntityType::Norp
                    && !self.r.gazetteer.is_a(text, &[GazKind::Country]);
                if (capital && ORG_KIND_WORDS.contains(&w)) || broadcaster {
                    r.end = kind_at + 1;
                    etype = EntityType::Org;
                }
            }
            // "the Green Farmers' Party" typed MISC: a name ending in an
            // organisation's kind word is an organisation, and so is the
            // name without it later ("the Green Farmers").
            if matches!(etype, EntityType::Misc | EntityType::Org)
                && r.len() > 1
                && is_capitalised(self.text(r.end - 1))
                && ORG_KIND_WORDS.contains(&self.lower[r.end - 1].as_str())
            {
                etype = EntityType::Org;
                let mut short = r.start..r.end - 1;
                if short.len() > 1 && matches!(self.lower[short.end - 1].as_str(), "'" | "\u{2019}")
                {
                    short.end -= 1;
                }
                short_orgs.push(name_key(self.span_text(&short)));
            } else if etype == EntityType::Misc
                && short_orgs.contains(&name_key(self.span_text(&r)))
            {
                etype = EntityType::Org;
            }
            // Spans the mended name now covers.
            while let Some((next, _)) = spans.peek() {
                if next.start >= r.end {
                    break;
                }
                r.end = r.end.max(next.end);
                spans.next();
            }
            out.push((r, etype));
        }
        out
    }
    /// A title and a person's name the recogniser read as one organisation
    /// or other non-person name ("Zerlandic Trade Minister Tamsin Okoro",
    /// "Defence Secretary Ama Boateng"): the name after the title is a
    /// person, and the title before it is read as the person's title
    /// ([`Self::title_before`]). A name span that is only such a title right
    /// before a person's name ("Zerlandic Trade Minister" + "Tamsin Okoro")
    /// is no mention of its own.
    fn split_titled_names(
        &self,
        spans: Vec<(Range<usize>, EntityType)>,
    ) -> Vec<(Range<usize>, EntityType)> {
        let mut out: Vec<(Range<usize>, EntityType)> = Vec::with_capacity(spans.len());
        for (i, (r, etype)) in spans.iter().enumerate() {
            let (r, etype) = (r.clone(), *etype);
            if etype == EntityType::Person || r.is_empty() {
                out.push((r, etype));
                continue;
            }
            let title = self.person_title_at(r.end - 1);
            let person_next = spans
                .get(i + 1)
                .is_some_and(|(n, t)| *t == EntityType::Person && n.start == r.end);
            if title && person_next {
                continue;
            }
            // The last title word with a name of one to three words after it.
            let split = (r.start..r.end.saturating_sub(1))
                .rev()
                .take_while(|&k| r.end - k <= 4)
                .find(|&k| self.person_title_at(k));
            let Some(k) = split else {
                out.push((r, etype));
                continue;
            };
            let tail = k + 1..r.end;
            let lex = self.r.lexicon;
            let name_like = tail.clone().all(|j| {
                let t = self.text(j);
                is_capitalised(t)
                    && t.chars()
                        .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.'))
                    && lex.role(&self.lower[j]).is_none()
                    && !lex.modifiers.contains_key(self.lower[j].as_str())
                    && !ORG_KIND_WORDS.contains(&self.lower[j].as_str())
                    && self.country_at(j, j + 1).is_none()
                    && self.institution_at(j, j + 1).is_none()
            });
            // "General Motors", "General Electric": a title opening a
            // one-word name is a name unless that word is a first name.
            let first_name = self
                .r
                .gazetteer
                .lookup_kind(self.text(tail.start), GazKind::FirstName)
                .next()
                .is_some();
            let person = first_name || (k > r.start && tail.len() >= 2);
            if !name_like || !person || lex.institution(self.span_text(&r)).is_some() {
                out.push((r, etype));
                continue;
            }
            out.push((tail, EntityType::Person));
        }
        out
    }
    /// Whether token `k` is a capitalised title word for one person
    /// ("Minister", "President", "Ambassador", "General").
    fn person_title_at(&self, k: usize) -> bool {
        is_capitalised(self.text(k))
            && self
                .r
                .lexicon
                .role(&self.lower[k])
                .is_some_and(|role| role.kind == RoleKind::Person)
    }
    /// A recogniser's name span as a place: widened by the kind word after
    /// it ("the Evros river", "Saada province", "the Olenya air base",
    /// "Sulawesi island": the kind says what the place is), and a name typed
    /// MISC/ORG/PERSON retyped a place when it is a sea, river, range or
    /// region of the geography, or a gazetteer place named where a place
    /// goes ("from San José", "in Galle"). Known institutions keep their type.
    /// A state's formal name the recogniser cut at "of" is one name: "the
    /// Democratic Republic" + "of" + "Congo", "the Republic" + "of the" +
    /// "Congo" (apart, "Republic" was looked up as a town of that name and
    /// "Congo" as the other Congo). A bare "Republic" before a state the
    /// gazetteer knows only by its short name gives way to that name.
    fn join_formal_names(
        &self,
        spans: Vec<(Range<usize>, EntityType)>,
    ) -> Vec<(Range<usize>, EntityType)> {
        let mut joined: Vec<(Range<usize>, EntityType)> = Vec::with_capacity(spans.len());
        for (r, etype) in spans {
            if let Some((prev, prev_type)) = joined.last_mut() {
                let gap = prev.end..r.start;
                let of_gap = (gap.len() == 1 || gap.len() == 2)
                    && self.lower[gap.start] == "of"
                    && (gap.len() == 1 || self.lower[gap.start + 1] == "the");
                if of_gap
                    && prev.start < prev.end
                    && self.lower[prev.end - 1] == "republic"
                    && self.sent_of[prev.start] == self.sent_of[r.end - 1]
                {
                    let whole = prev.start..r.end;
                    if self.gpe_country(self.span_text(&whole)).is_some() {
                        *prev = whole;
                        *prev_type = EntityType::Gpe;
                        continue;
                    }
                    // "the Republic of Moldova", unknown whole: the state's
                    // short name alone says it.
                    if prev.len() == 1 {
                        *prev = r;
                        *prev_type = etype;
                        continue;
                    }
                }
            }
            joined.push((r, etype));
        }
        joined
    }
    pub(super) fn place_span(
        &self,
        tokens: Range<usize>,
        etype: EntityType,
    ) -> (Range<usize>, EntityType) {
        if tokens.is_empty() {
            return (tokens, etype);
        }
        // "the Norwegian Sea", "the Arabian Peninsula": a nationality the
        // recogniser cut from the sea or land it names.
        if etype == EntityType::Norp {
            let end = tokens.end;
            let same_sentence = end
                < self
                    .doc
                    .sentence(self.sent_of[tokens.start])
                    .token_indices()
                    .end;
            if same_sentence && is_capitalised(self.text(end)) {
                let wider = tokens.start..end + 1;
                let geography = self
                    .r
                    .places
                    .lookup(self.span_text(&wider))
                    .any(|(e, _)| matches!(e.feature, Feature::Water | Feature::Land));
                if geography {
                    return (wider, EntityType::Loc);
                }
            }
            return (tokens, etype);
        }
        let text = self.span_text(&tokens);
        if self.r.lexicon.institution(text).is_some() {
            return (tokens, etype);
        }
        let places = self.r.places;
        let known = || places.lookup(text).next().is_some();
        let mut tokens = tokens;
        let mut etype = etype;
        let widen = match self.place_kind_after(tokens.end) {
            Some((n, kind)) => {
                let place_type = matches!(
                    etype,
                    EntityType::Gpe | EntityType::Loc | EntityType::Fac | EntityType::Misc
                );
                (place_type || known()).then_some((n, kind))
            }
            None => None,
        };
        if let Some((n, kind)) = widen {
            tokens = tokens.start..tokens.end + n;
            return (tokens, kind);
        }
        // "Niger state", "Lagos state": a lowercase "state" makes the name a
        // federal state when the gazetteer has one by that name, not the
        // country or city of the bare name.
        if matches!(etype, EntityType::Gpe | EntityType::Loc)
            && self.lower.get(tokens.end).is_some_and(|w| w == "state")
            && self.sent_of.get(tokens.end) == Some(&self.sent_of[tokens.start])
            && !is_capitalised(self.text(tokens.end))
        {
            let wider = tokens.start..tokens.end + 1;
            let state = places
                .lookup(self.span_text(&wider))
                .any(|(e, _)| e.feature == Feature::Region);
            if state {
                return (wider, EntityType::Gpe);
            }
        }
        // "Merdeka Palace", "Incirlik Air Base": a facility by its own name.
        let last = self.lower[tokens.end - 1].as_str();
        if matches!(etype, EntityType::Org | EntityType::Misc)
            && tokens.len() > 1
            && (FACILITY_HEADS.contains(&last) || matches!(last, "square" | "airbase"))
        {
            return (tokens, EntityType::Fac);
        }
        // "in Grand Gedeh and River Gee counties": places by the plural kind.
        if etype != EntityType::Gpe
            && known()
            && self.lower.get(tokens.end).is_some_and(|w| {
                matches!(
                    w.as_str(),
                    "counties" | "provinces" | "regions" | "districts" | "states" | "governorates"
                )
            })
        {
            return (tokens, EntityType::Gpe);
        }
        if matches!(
            etype,
            EntityType::Misc | EntityType::Org | EntityType::Person
        ) {
            let key = text.strip_prefix("the ").unwrap_or(text);
            let mut entries = places.lookup(key);
            let geography = entries
                .by_ref()
                .any(|(e, _)| matches!(e.feature, Feature::Water | Feature::Land));
            let before = tokens
                .start
                .checked_sub(1)
                .filter(|&b| {
                    b >= self
                        .doc
                        .sentence(self.sent_of[tokens.start])
                        .token_indices()
                        .start
                })
                .map(|b| self.lower[b].as_str());
            // "the southern city of Galle".
            let kind_of = before == Some("of")
                && tokens.start >= 2
                && PLACE_KINDS.contains(&self.lower[tokens.start - 2].as_str());
            // "to Kandy and Galle": the conjunct of a place name.
            let after_place = matches!(before, Some("and" | "or"))
                && self.cands.last().is_some_and(|c| {
                    c.tokens.end + 1 == tokens.start
                        && matches!(c.etype, EntityType::Gpe | EntityType::Loc)
                });
            let locative = before.is_some_and(|w| LOCATIVE.contains(&w)) || kind_of || after_place;
            let the = before == Some("the");
            if geography && (etype != EntityType::Person || locative || the) {
                etype = EntityType::Loc;
            } else if locative && known() && etype != EntityType::Person {
                etype = EntityType::Gpe;
            }
        }
        (tokens, etype)
    }
    /// The lowercase kind word(s) right after token `end` that make the name
    /// before them a place, with their length and the place type: a
    /// division ("province"), water ("river"), land ("island"), or a
    /// facility ("air base", "hydropower plant", "border crossing").
    fn place_kind_after(&self, end: usize) -> Option<(usize, EntityType)> {
        let word = |k: usize| {
            self.lower
                .get(k)
                .filter(|_| k < self.doc.sentence(self.sent_of[end - 1]).token_indices().end)
                .filter(|_| !is_capitalised(self.text(k)))
                .map(String::as_str)
        };
        let w = word(end)?;
        if matches!(
            w,
            "province"
                | "region"
                | "county"
                | "district"
                | "department"
                | "governorate"
                | "oblast"
                | "prefecture"
        ) {
            return Some((1, EntityType::Gpe));
        }
        if matches!(
            w,
            "river"
                | "lake"
                | "island"
                | "islands"
                | "peninsula"
                | "valley"
                | "mountains"
                | "desert"
        ) {
            return Some((1, EntityType::Loc));
        }
        if FACILITY_HEADS.contains(&w) {
            return Some((1, EntityType::Fac));
        }
        let w2 = word(end + 1)?;
        (FACILITY_MODIFIERS.contains(&w) && FACILITY_HEADS.contains(&w2))
            .then_some((2, EntityType::Fac))
    }
    /// The country of a place named after "the <nationality> <kind> of"
    /// ("the Turkish crossing of Pazarkule", "the Iraqi city of Mosul"):
    /// the nationality's, when the gazetteer does not know the place.
    pub(super) fn country_of_kind_phrase(&self, start: usize) -> Option<String> {
        let sentence_start = self.doc.sentence(self.sent_of[start]).token_indices().start;
        let of = start.checked_sub(1).filter(|&k| k > sentence_start)?;
        if self.lower[of] != "of" {
            return None;
        }
        let kind = of - 1;
        if !(PLACE_KINDS.contains(&self.lower[kind].as_str())
            || FACILITY_HEADS.contains(&self.lower[kind].as_str()))
        {
            return None;
        }
        // Up to two words between the nationality and the kind ("the
        // Turkish border town of").
        (kind.saturating_sub(3).max(sentence_start)..kind)
            .rev()
            .find_map(|k| self.country_at(k, kind))
            .map(|(c, _)| c)
    }
    pub(super) fn gpe_country(&self, text: &str) -> Option<String> {
        let stripped = name_key(text);
        if ambiguous_congo(&stripped) {
            return Some(self.congo.to_string());
        }
        if let Some(e) = self.r.gazetteer.lookup(text).find(|e| {
            matches!(
                e.kind,
                GazKind::Country | GazKind::Capital | GazKind::City | GazKind::Region
            ) && e.country.is_some()
        }) {
            return e.country.clone();
        }
        self.r
            .places
            .resolve(&stripped, &[])
            .filter(|p| !p.country.is_empty())
            .map(|p| p.country.to_string())
    }
    pub(super) fn is_capital(&self, text: &str) -> bool {
        self.r.gazetteer.is_a(text, &[GazKind::Capital])
            || self
                .r
                .places
                .lookup(text)
                .any(|(p, main)| main && p.feature == Feature::Capital && p.population > 100_000)
    }
    /// A place name standing for an actor: the subject or object of a verb,
    /// a possessor, or the complement of "with"/"by"/"against"/"from" —
    /// not a location ("in Moscow", "to Kyiv") and not a dateline.
    pub(super) fn used_as_agent(&self, head: usize, tokens: &Range<usize>) -> bool {
        if !self.parsed {
            return false;
        }
        let sentence = self.doc.sentence(self.sent_of[head]);
        let first = sentence.token_indices().start;
        if tokens.start == first && self.lower.get(tokens.end).is_some_and(|w| w == ",") {
            return false; // dateline
        }
        // "KYIV - Police detained ...": the parser may make the dateline's
        // place a subject; it is where the story was filed.
        if self
            .dateline
            .as_ref()
            .is_some_and(|d| d.place.contains(&tokens.start))
        {
            return false;
        }
        let mut h = head;
        // "Athens and Ankara": the second conjunct plays the first's role.
        if self.deprel(h) == Some(Deprel::Conj) {
            if let Some(x) = self.head(h) {
                h = x;
            }
        }
        match self.deprel(h) {
            Some(
                Deprel::Nsubj | Deprel::NsubjPass | Deprel::Obj | Deprel::Iobj | Deprel::NmodPoss,
            ) => true,
            Some(Deprel::Obl | Deprel::Nmod | Deprel::OblAgent) => {
                let case = (first..sentence.token_indices().end)
                    .find(|&k| self.head(k) == Some(h) && self.deprel(k) == Some(Deprel::Case))
                    .map(|k| self.lower[k].as_str());
                matches!(case, Some("with" | "by" | "against" | "from" | "between"))
                    && !self.head(h).is_some_and(|v| {
                        matches!(
                            self.doc.token(v).lemma(),
                            Some("fly" | "travel" | "return" | "come" | "arrive" | "flee")
                        )
                    })
            }
            _ => false,
        }
    }
    /// The person is the subject of "flee"/"go into exile"/"be ousted".
    pub(super) fn fled(&self, head: usize) -> bool {
        let Some(v) = self.head(head) else {
            return false;
        };
        let lemma = self.doc.token(v).lemma().unwrap_or("");
        match self.deprel(head) {
            Some(Deprel::Nsubj) => matches!(lemma, "flee" | "exile"),
            Some(Deprel::NsubjPass) => {
                matches!(lemma, "oust" | "depose" | "topple" | "overthrow" | "exile")
            }
            _ => {
                // "caused X to flee": X is the object of the causing verb and the subject of flee.
                (1..3).any(|d| {
                    let k = v + d;
                    k < self.doc.len()
                        && self.head(k) == Some(v)
                        && self.deprel(k) == Some(Deprel::Xcomp)
                        && matches!(self.doc.token(k).lemma(), Some("flee"))
                }) || (head + 2 < self.doc.len()
                    && self.lower[head + 1] == "to"
                    && matches!(self.doc.token(head + 2).lemma(), Some("flee")))
            }
        }
    }
    /// Titles, roles and groups that are not part of a name.
    pub(super) fn collect_nominals(&mut self) {
        // Tokens of title phrases before person names are not nominals.
        let mut title_tokens = vec![false; self.doc.len()];
        for c in &self.cands {
            if c.etype == EntityType::Person && c.kind == MentionKind::Name {
                if let Some(t) = self.title_before(&c.tokens, c.head) {
                    for k in t {
                        title_tokens[k] = true;
                    }
                }
            }
        }
        let names: Vec<Range<usize>> = self.cands.iter().map(|c| c.tokens.clone()).collect();
        for (h, &in_title) in title_tokens.iter().enumerate() {
            if in_title || names.iter().any(|r| r.contains(&h)) {
                continue;
            }
            if !matches!(self.upos(h), None | Some(Upos::Noun | Upos::Propn)) {
                continue;
            }
            let w = self.lower[h].as_str();
            let Some(role) = self.r.lexicon.role(w) else {
                continue;
            };
            if self.parsed {
                // A noun modifying another noun is part of that noun's phrase.
                // "secretary-general" split at its hyphen is one role.
                let hyphenated = self.lower.get(h + 1).is_some_and(|w| w == "-")
                    && self.doc.token(h).range().end == self.doc.token(h + 1).range().start;
                // "a police statement", "an army report": the modifier is
                // who issued it, a mention of its own.
                let author = self.deprel(h) == Some(Deprel::Compound)
                    && self.head(h).is_some_and(|d| {
                        d > h
                            && crate::quotes::Cues::builtin()
                                .document(&self.lower[d], self.doc.token(d).lemma().unwrap_or(""))
                    });
                if matches!(self.deprel(h), Some(Deprel::Compound | Deprel::Amod))
                    && !hyphenated
                    && !author
                {
                    continue;
                }
            } else if h + 1 < self.doc.len()
                && matches!(self.upos(h + 1), Some(Upos::Noun | Upos::Propn))
            {
                continue;
            }
            // Common words that are roles only in some uses.
            if matches!(
                w,
                "head"
                    | "chair"
                    | "party"
                    | "union"
                    | "group"
                    | "agency"
                    | "department"
                    | "court"
                    | "members"
                    | "member"
                    | "forces"
                    | "units"
                    | "crowd"
                    | "general"
                    | "justice"
                    | "speaker"
                    | "bloc"
                    | "groups"
                    | "intelligence"
                    | "man"
                    | "woman"
            ) && !self.has_left_modifier(h)
            {
                continue;
            }
            // "people" is an actor only when counted ("63 people were
            // detained", "several thousand people", "hundreds of people"):
            // "the Syrian people", "people familiar with the talks" are not.
            if w == "people" && !self.counted(h) {
                continue;
            }
            let _ = role;
            let mut tokens = self.nominal_span(h);
            // A name the span would cut in two joins it whole: "The United
            // Nations envoy" with "United" tagged as a verb.
            if let Some(r) = names
                .iter()
                .find(|r| r.start < tokens.start && r.end > tokens.start && r.end <= h)
            {
                tokens.start = r.start;
            }
            if tokens.start > h {
                tokens.start = h;
            }
            tokens.start = self.quantified_start(tokens.start, h);
            let mut info = self.analyze_phrase(tokens.clone());
            if info.country.is_none() && is_diplomatic(w) {
                // An embassy "in Dhaka" is the sending state's, never the
                // host's: its owner ("Japan's embassy") or the state its
                // possessive pronoun stands for ("its embassy").
                info.country = self
                    .state_owner(h)
                    .or_else(|| self.sent_from(h, &info))
                    .or_else(|| {
                        let (pronoun, state, country) = self.possessor_state(h, &tokens)?;
                        self.possessors.push((pronoun, state));
                        Some(country)
                    });
            } else if info.country.is_none() {
                info.country = self
                    .located_in(h, &info)
                    .or_else(|| self.sent_from(h, &info))
                    .or_else(|| self.state_owner(h));
            }
            let kind = match info.role_kind {
                Some(RoleKind::Person) => MentionKind::Title,
                _ => MentionKind::Nominal,
            };
            let etype = match info.role_kind {
                Some(RoleKind::Body) => EntityType::Org,
                _ => EntityType::Person,
            };
            let definite = matches!(self.lower[tokens.start].as_str(), "the" | "these" | "those");
            let c = self.push_cand(tokens, kind, etype, info);
            self.cands[c].owner = self.owner_of(h);
            // A counted group ("63 people", "hundreds of supporters") is
            // new to the story unless made definite ("the 38 soldiers").
            if !definite && self.counted(h) {
                self.cands[c].indefinite = true;
            }
        }
    }
    /// The state a possessive "its"/"their" before a diplomatic noun at `h`
    /// (in `span`) stands for, when the antecedent is safe: the nearest
    /// subject before it in the sentence, else a subject of the previous
    /// sentence, that is a state (a country's name, or a capital or seat of
    /// government standing for its government) — skipping people, whom
    /// "its" cannot mean, and the host state of the place after "in" ("if
    /// Moscow moved against its mission in St Petersburg" is not Moscow's).
    /// Another organisation in between makes the antecedent unsafe: none.
    /// Returns the pronoun's token, the antecedent's head token and its country.
    fn possessor_state(&self, h: usize, span: &Range<usize>) -> Option<(usize, usize, String)> {
        if !self.parsed {
            return None;
        }
        let pronoun =
            (span.start..h).find(|&k| matches!(self.lower[k].as_str(), "its" | "their"))?;
        let host = self
            .name_after(h, &["in", "at"])
            .and_then(|c| self.place_country(self.doc.slice(c.range)));
        let s = self.sent_of[h];
        let sentence = self.doc.sentence(s).token_indices();
        let subjects = |range: Range<usize>, nearest_first: bool| {
            let mut found: Vec<&Cand> = self
                .cands
                .iter()
                .filter(|c| {
                    range.contains(&c.head)
                        && c.kind == MentionKind::Name
                        && self.is_subject(c.head)
                })
                .collect();
            if nearest_first {
                found.reverse();
            }
            found
        };
        let mut order = subjects(sentence.start..pronoun, true);
        if s > 0 {
            order.extend(subjects(self.doc.sentence(s - 1).token_indices(), false));
        }
        for c in order {
            if c.etype == EntityType::Person {
                continue;
            }
            let country = match &c.government_of {
                Some(g) => Some(g.clone()),
                None if c.etype == EntityType::Gpe
                    && self
                        .r
                        .gazetteer
                        .is_a(self.doc.slice(c.range), &[GazKind::Country]) =>
                {
                    self.gpe_country(self.doc.slice(c.range))
                }
                // An organisation or a city: not a state; nothing is safe.
                _ => return None,
            }?;
            if host.as_ref() == Some(&country) {
                continue;
            }
            return Some((pronoun, c.head, country));
        }
        None
    }
    /// Unnamed landmarks of the story's place as facility mentions: "the
    /// presidential palace", "the congress hall", "the parliament
    /// building", "the courthouse" — definite, outside every other mention;
    /// "hall" and "building" only with a modifier ("the hall" alone is
    /// anyone's). `coding.rs` places them.
    pub(super) fn collect_facilities(&mut self) {
        if !self.parsed {
            return;
        }
        for h in 0..self.doc.len() {
            let w = self.lower[h].as_str();
            let needs_modifier = matches!(w, "hall" | "building" | "compound");
            if !(needs_modifier || matches!(w, "palace" | "courthouse" | "mansion"))
                || self.upos(h) != Some(Upos::Noun)
                || matches!(self.deprel(h), Some(Deprel::Compound | Deprel::Amod))
                || self.cands.iter().any(|c| c.tokens.contains(&h))
            {
                continue;
            }
            let tokens = self.nominal_span(h);
            if self.lower[tokens.start] != "the"
                || (needs_modifier && tokens.len() < 3)
                || tokens.clone().any(|k| {
                    matches!(self.upos(k), Some(Upos::Pron | Upos::Propn | Upos::Num))
                        || self.cands.iter().any(|c| c.tokens.contains(&k))
                })
            {
                continue;
            }
            self.push_cand(
                tokens,
                MentionKind::Nominal,
                EntityType::Fac,
                PhraseInfo::default(),
            );
        }
    }
    /// The country of the place right after a group or body of no named
    /// country: "Police in Hong Kong", "residents in Goma" — only those who
    /// belong where they are (police, officials, courts, residents): "troops
    /// in Syria" may be anyone's, "reporters in Addis Ababa" came to report.
    pub(super) fn located_in(&self, h: usize, info: &PhraseInfo) -> Option<String> {
        if !matches!(info.role_kind, Some(RoleKind::Group | RoleKind::Body))
            || !matches!(info.sector, Some("COP" | "GOV" | "JUD" | "LEG" | "CVL"))
        {
            return None;
        }
        // "police in the capital" is no named place: only a name right after "in".
        let place = self
            .name_after(h, &["in"])
            .filter(|c| c.tokens.start == h + 2 && c.government_of.is_none());
        if let Some(place) = place {
            return self.place_country(self.doc.slice(place.range));
        }
        // Where the group is, by the parse: its own attachment ("protesters
        // outside the Armenian parliament"), else, for civilians and police,
        // where the verb they are the subject of places them ("Protesters
        // gathered outside the Armenian parliament in Yerevan"). Officials
        // travel to meet ("officials at the talks in Geneva"): only named
        // places right after "in" place them.
        if !matches!(info.sector, Some("CVL" | "COP")) {
            return None;
        }
        let sentence = self.doc.sentence(self.sent_of[h]).token_indices();
        let mut heads = vec![h];
        if self.is_subject(h) {
            let mut v = self.head(h)?;
            if self.deprel(h) == Some(Deprel::Conj) {
                v = self.head(v)?;
            }
            heads.push(v);
        }
        // After a dateline the parser may read "Protesters gathered ..." as
        // a noun with a reduced relative: the participle places them too.
        heads.extend(sentence.clone().filter(|&k| {
            self.head(k) == Some(h)
                && self.deprel(k) == Some(Deprel::Acl)
                && self.upos(k) == Some(Upos::Verb)
        }));
        let mut found: Vec<String> = Vec::new();
        for &g in &heads {
            for k in sentence.clone() {
                if self.head(k) != Some(g)
                    || !matches!(self.deprel(k), Some(Deprel::Obl | Deprel::Nmod))
                    || !sentence.clone().any(|c| {
                        self.head(c) == Some(k)
                            && self.deprel(c) == Some(Deprel::Case)
                            && matches!(
                                self.lower[c].as_str(),
                                "in" | "at" | "outside" | "near" | "inside" | "around"
                            )
                    })
                {
                    continue;
                }
                found.extend(self.countries_under(k, &sentence));
            }
            if !found.is_empty() {
                break;
            }
        }
        found.sort();
        found.dedup();
        match found.as_slice() {
            [c] => Some(c.clone()),
            _ => None,
        }
    }
    /// The countries the words of the phrase headed by `k` name: its place
    /// names and nationality words ("the Armenian parliament in Yerevan").
    /// Under an embassy or envoy only places count: "outside the Russian
    /// embassy" is no Russian ground.
    fn countries_under(&self, k: usize, sentence: &Range<usize>) -> Vec<String> {
        let diplomatic = sentence
            .clone()
            .filter(|&j| self.descends(j, k, sentence))
            .any(|j| is_diplomatic(&self.lower[j]));
        let mut out = Vec::new();
        for j in sentence.clone() {
            if !self.descends(j, k, sentence) {
                continue;
            }
            if let Some(c) = self.cands.iter().find(|c| c.tokens.contains(&j)) {
                let place = c.kind == MentionKind::Name
                    && matches!(c.etype, EntityType::Gpe | EntityType::Loc | EntityType::Fac)
                    && c.government_of.is_none()
                    && !is_water_body(self.doc.slice(c.range));
                if place && c.head == j {
                    out.extend(c.info.country.clone());
                }
                continue;
            }
            if !diplomatic && !self.after_pro_prefix(j) {
                out.extend(self.country_at(j, j + 1).map(|(c, _)| c));
            }
        }
        out
    }
    /// The code of the named state or body a group of people comes from:
    /// "Observers from the European Union" (EUR), "refugees from Aleppo"
    /// (SYR), "experts from the IAEA". A group from no named one ("troops
    /// from 14 allied countries", "officials from both sides", "envoys from
    /// Ukraine and Russia") has none.
    pub(super) fn sent_from(&self, h: usize, info: &PhraseInfo) -> Option<String> {
        if info.role_kind != Some(RoleKind::Group) {
            return None;
        }
        let name = self.name_after(h, &["from"])?;
        // "envoys from Ukraine and Russia" come from more than one.
        if self
            .lower
            .get(name.tokens.end)
            .is_some_and(|w| matches!(w.as_str(), "and" | "or" | "," | "/"))
        {
            return None;
        }
        let text = self.doc.slice(name.range);
        if let Some(inst) = self.r.lexicon.institution(text) {
            return inst.country.map(str::to_string);
        }
        if !matches!(name.etype, EntityType::Gpe) {
            return None;
        }
        self.place_country(text)
    }
    /// The name mention right after the word after `h` when that word is one
    /// of `prepositions`, past an optional "the", in `h`'s sentence: the
    /// "European Union" of "Observers from the European Union", the "Goma"
    /// of "residents in Goma".
    fn name_after(&self, h: usize, prepositions: &[&str]) -> Option<&Cand> {
        if !prepositions.contains(&self.lower.get(h + 1)?.as_str()) {
            return None;
        }
        let start = h + 2 + usize::from(self.lower.get(h + 2)? == "the");
        self.cands.iter().find(|c| {
            c.kind == MentionKind::Name
                && c.tokens.start == start
                && self.sent_of[start] == self.sent_of[h]
        })
    }
    /// The country of a named place, if it is no sea, river or lake.
    fn place_country(&self, text: &str) -> Option<String> {
        if is_water_body(text) {
            return None;
        }
        self.gpe_country(text)
    }
    /// The country of the named state a role or body belongs to, when the
    /// phrase names it as its owner rather than inside it: "Estonia's
    /// foreign intelligence service" (EST), "the president of France"
    /// (FRA), "Moscow's ambassador" (RUS). Known at mention time, so the
    /// phrase cannot join another state's body of the same kind ("Russian
    /// military intelligence" earlier in the story).
    pub(super) fn state_owner(&self, h: usize) -> Option<String> {
        let owner = self.owner_of(h)?;
        let name = self.cands.iter().find(|c| {
            c.kind == MentionKind::Name
                && matches!(c.etype, EntityType::Gpe)
                && c.tokens.contains(&owner)
        })?;
        self.place_country(self.doc.slice(name.range))
    }
    /// A noun counted by a number or a quantity word right before it ("63
    /// people", "several thousand people", "hundreds of people").
    pub(super) fn counted(&self, h: usize) -> bool {
        if h == 0 {
            return false;
        }
        let k = h - 1;
        self.is_quantity(k) || (self.lower[k] == "of" && k > 0 && self.is_quantity(k - 1))
    }
    /// A number or a quantity word: "63", "eleven", "several", "hundreds".
    fn is_quantity(&self, k: usize) -> bool {
        self.upos(k) == Some(Upos::Num)
            || self.lower[k]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
            || is_quantity_word(&self.lower[k])
    }
    /// The start of a counted group's mention with its quantifier whole:
    /// "at least eleven soldiers", "more than 200 people", "up to 40
    /// villagers", "about 300 protesters", "the more than 130 prisoners".
    /// The parser often hangs "least" on the number and "at" elsewhere, or
    /// cuts the phrase at "than"/"to"; the mention keeps every word of the
    /// quantifier or none. `start` is the span's first token, `h` its head.
    pub(super) fn quantified_start(&self, start: usize, h: usize) -> usize {
        let sentence_start = self.doc.sentence(self.sent_of[h]).token_indices().start;
        let mut j = start;
        // A quantifier the span cut in two: "least eleven soldiers".
        if matches!(self.lower[j].as_str(), "least" | "most")
            && j > sentence_start
            && self.lower[j - 1] == "at"
        {
            j -= 1;
        }
        if !(j..h).any(|k| self.is_quantity(k)) {
            return start;
        }
        let before = |n: usize| -> Option<Vec<&str>> {
            (j >= sentence_start + n).then(|| (j - n..j).map(|k| self.lower[k].as_str()).collect())
        };
        const TWO: &[[&str; 2]] = &[
            ["at", "least"],
            ["at", "most"],
            ["more", "than"],
            ["fewer", "than"],
            ["less", "than"],
            ["up", "to"],
            ["an", "estimated"],
        ];
        const ONE: &[&str] = &[
            "about",
            "around",
            "nearly",
            "almost",
            "roughly",
            "some",
            "approximately",
            "over",
            "just",
        ];
        if before(3).is_some_and(|w| w == ["as", "many", "as"]) {
            j -= 3;
        } else if before(2).is_some_and(|w| TWO.iter().any(|t| w == t)) {
            j -= 2;
        } else if before(1).is_some_and(|w| ONE.contains(&w[0])) {
            j -= 1;
        }
        // "the more than 130 political prisoners".
        if j < start && j > sentence_start && self.lower[j - 1] == "the" {
            j -= 1;
        }
        j
    }
    pub(super) fn has_left_modifier(&self, h: usize) -> bool {
        h > 0
            && matches!(
                self.upos(h - 1),
                Some(Upos::Adj | Upos::Noun | Upos::Propn | Upos::Det | Upos::Num)
            )
            && !matches!(self.lower[h - 1].as_str(), "a" | "an")
    }
    /// The organisation a role belongs to: "spokesman for the ministry",
    /// "head of the agency", "the group's director".
    pub(super) fn owner_of(&self, h: usize) -> Option<usize> {
        if !self.parsed {
            return None;
        }
        owner_of(
            self.doc,
            self.doc.sentence(self.sent_of[h]).token_indices(),
            h,
        )
    }
    pub(super) fn collect_pronouns(&mut self) {
        for i in 0..self.doc.len() {
            let w = self.lower[i].clone();
            let w = w.as_str();
            if !PRONOUNS.contains(&w)
                || !matches!(self.upos(i), None | Some(Upos::Pron | Upos::Det))
            {
                continue;
            }
            if self.deprel(i) == Some(Deprel::Expl) {
                continue;
            }
            if w == "it" && self.pleonastic_it(i) {
                continue;
            }
            let c = self.push_cand(
                i..i + 1,
                MentionKind::Pronoun,
                EntityType::Person,
                PhraseInfo::default(),
            );
            let cand = &mut self.cands[c];
            (cand.pronoun_gender, cand.number) = match w {
                "he" | "him" | "his" | "himself" => (Some(Gender::Male), Number::Singular),
                "she" | "her" | "hers" | "herself" => (Some(Gender::Female), Number::Singular),
                "they" | "them" | "their" | "theirs" | "themselves" => (None, Number::Plural),
                _ => (None, Number::Singular),
            };
            if matches!(w, "it" | "its" | "itself") {
                cand.etype = EntityType::Org;
            }
        }
    }
    /// "It is clear that ...", "it was the first ...": no referent. "It said
    /// it would ..." after a reporting verb does refer.
    pub(super) fn pleonastic_it(&self, i: usize) -> bool {
        let prev = if i > 0 {
            self.lower[i - 1].as_str()
        } else {
            ""
        };
        if matches!(prev, "said" | "says" | "that" | "and") {
            return false;
        }
        let next = self.lower.get(i + 1).map(String::as_str).unwrap_or("");
        matches!(
            next,
            "is" | "was"
                | "'s"
                | "seems"
                | "seemed"
                | "appears"
                | "appeared"
                | "remains"
                | "remained"
                | "takes"
                | "took"
        )
    }
}

/// Words before a name that make it a location: "in Galle", "from San José".
const LOCATIVE: &[&str] = &[
    "in", "at", "near", "from", "across", "over", "into", "outside", "towards", "toward", "around",
    "off", "along", "through", "inside", "to", "via", "between",
];

/// Particles of Arabic names: "al-Qadhi", "bin Salman", "Abu Zeid".
const NAME_PARTICLES: &[&str] = &[
    "al", "el", "ad", "ar", "ash", "az", "bin", "ibn", "bint", "abu", "ould",
];

/// Kind words that end an organisation's name after it ("the Green Farmers'
/// Party", "the Popular Front").
const ORG_KIND_WORDS: &[&str] = &[
    "party",
    "front",
    "movement",
    "union",
    "alliance",
    "council",
    "television",
    "tv",
    "radio",
];

/// Kinds of places in "the <kind> of X" ("the town of Bankilaré").
const PLACE_KINDS: &[&str] = &[
    "town",
    "city",
    "village",
    "province",
    "region",
    "district",
    "state",
    "port",
    "island",
    "capital",
    "enclave",
    "county",
    "governorate",
    "municipality",
    "area",
    "suburb",
];

/// Nouns after a name that make it a facility ("the Olenya air base").
const FACILITY_HEADS: &[&str] = &[
    "airport",
    "airbase",
    "base",
    "port",
    "harbour",
    "harbor",
    "hospital",
    "prison",
    "jail",
    "camp",
    "plant",
    "refinery",
    "dam",
    "mine",
    "crossing",
    "checkpoint",
    "station",
    "palace",
    "stadium",
    "bridge",
    "reactor",
    "facility",
    "complex",
    "barracks",
    "airfield",
    "terminal",
];

/// Words before a facility noun that belong to it ("air base", "power plant").
const FACILITY_MODIFIERS: &[&str] = &[
    "air",
    "naval",
    "military",
    "army",
    "police",
    "power",
    "hydropower",
    "hydroelectric",
    "nuclear",
    "enrichment",
    "border",
    "refugee",
    "detention",
    "displacement",
    "oil",
    "gas",
    "coal",
    "gold",
    "copper",
    "steel",
    "train",
    "railway",
    "bus",
    "ferry",
    "container",
];

/// Nouns for a state's diplomats and missions abroad: an embassy "in
/// Dhaka" belongs to the state that sends it, not to the host.
pub(super) fn is_diplomatic(w: &str) -> bool {
    matches!(
        w,
        "embassy"
            | "embassies"
            | "consulate"
            | "consulates"
            | "ambassador"
            | "ambassadors"
            | "envoy"
            | "envoys"
            | "diplomat"
            | "diplomats"
            | "consul"
            | "attache"
            | "attaché"
    )
}

/// A lowercased word that counts people by the dozen, hundred, thousand
/// ("hundreds", "several", "a dozen"), shared by mentions and events.
pub(crate) fn is_quantity_word(w: &str) -> bool {
    matches!(
        w,
        "several"
            | "dozens"
            | "hundreds"
            | "thousands"
            | "millions"
            | "scores"
            | "dozen"
            | "hundred"
            | "thousand"
            | "million"
    )
}
