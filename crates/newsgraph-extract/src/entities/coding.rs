//! Actor coding and entity building: country votes (dateline, story countries), country + PLOVER sector per cluster, canonical names and places.

use super::*;

impl<'a> Resolver<'a> {
    pub(super) fn vote(&mut self, country: &str, weight: u32) {
        if country.len() != 3
            || matches!(
                country,
                "UNO" | "EUR" | "IGO" | "NGO" | "IMG" | "ISM" | "MNC"
            )
        {
            return;
        }
        match self.country_votes.iter_mut().find(|(c, _)| c == country) {
            Some((_, w)) => *w += weight,
            None => self.country_votes.push((country.to_string(), weight)),
        }
    }
    /// The story's home country: the one its words name most (a dateline
    /// counts double), when it is named at least twice. Unqualified domestic
    /// actors ("the government", "police", "Interior Minister Jan Novak" in a
    /// story from Prague) belong to it, as a human coder would read them.
    ///
    /// A dateline only places the filing desk: a story filed from a reporting
    /// hub (NAIROBI, VIENNA, BRUSSELS) about another country names that
    /// country (its places, nationality, national institutions) far more
    /// often in its body. When the body names one other
    /// country at least three times, more than twice as often as the
    /// dateline's country and at least twice as often as any third country,
    /// that country is home.
    pub(super) fn home_country(&self) -> Option<String> {
        let dateline = self.dateline_country.as_ref()?;
        let mut body: Vec<(&str, usize)> = Vec::new();
        let named = self.named_countries.iter().map(|(_, c)| c.as_str());
        for c in named.chain(self.institution_countries.iter().copied()) {
            if c.len() != 3 || matches!(c, "UNO" | "EUR" | "IGO" | "NGO" | "IMG" | "ISM" | "MNC") {
                continue;
            }
            match body.iter_mut().find(|(x, _)| *x == c) {
                Some((_, n)) => *n += 1,
                None => body.push((c, 1)),
            }
        }
        let at_dateline = body
            .iter()
            .find(|(c, _)| c == dateline)
            .map_or(0, |(_, n)| *n);
        let mut others = body.iter().filter(|(c, _)| c != dateline);
        if let Some(first) = others.next() {
            let (mut top, mut second) = (*first, 0);
            for &(c, n) in others {
                if n > top.1 {
                    second = top.1;
                    top = (c, n);
                } else {
                    second = second.max(n);
                }
            }
            if top.1 >= 3 && top.1 > 2 * at_dateline && top.1 >= 2 * second {
                return Some(top.0.to_string());
            }
        }
        let mut best: Option<&(String, u32)> = None;
        for v in &self.country_votes {
            if best.is_none_or(|b| v.1 > b.1) {
                best = Some(v);
            }
        }
        let best = best?;
        let runner_up = self
            .country_votes
            .iter()
            .filter(|v| v.0 != best.0)
            .map(|v| v.1)
            .max()
            .unwrap_or(0);
        (best.1 >= 2 && best.1 > runner_up).then(|| best.0.clone())
    }
    /// A dateline ("DHAKA, June 3 (Meridian) -", "KHUJAND, Tajikistan, Feb 16")
    /// places the story: its country counts most for the home country.
    pub(super) fn vote_dateline(&mut self) {
        let Some(dateline) = self.dateline.clone() else {
            return;
        };
        let comma = dateline.place.end;
        let words: Vec<&str> = dateline.place.clone().map(|i| self.text(i)).collect();
        let name = words.join(" ");
        let r = comma..dateline.dash;
        // A country named right after the city decides.
        let after = (comma + 1..r.end.min(comma + 4)).find_map(|i| {
            if self.lower[comma] != "," {
                return None;
            }
            self.country_at(i, r.end)
                .filter(|(_, n)| self.lower.get(i + n).is_some_and(|w| w == ","))
        });
        let code = after.map(|(c, _)| c).or_else(|| {
            let countries: Vec<&str> = Vec::new();
            self.r
                .places
                .resolve(&name, &countries)
                .map(|p| p.country.to_string())
        });
        if let Some(c) = code {
            self.vote(&c, 5);
            self.dateline_country = Some(c);
        }
    }
    pub(super) fn build_entities(mut self) -> Vec<Entity> {
        self.doc_countries.sort();
        self.doc_countries.dedup();
        let live: Vec<usize> = self.live_clusters().collect();
        for &k in &live {
            if self.person_named_as_org(k) {
                self.clusters[k].etype = Some(EntityType::Person);
            }
        }
        // First pass: codes from each cluster's own mentions.
        let mut codes: Vec<(Option<String>, Option<&'static str>)> =
            vec![(None, None); self.clusters.len()];
        for &k in &live {
            codes[k] = self.code_cluster(k);
        }
        // An organisation named in a person's title ("WFP country director
        // Karin Lindahl") gives the person its codes.
        for &k in &live {
            for &m in &self.clusters[k].members {
                let c = &self.cands[m];
                if c.kind != MentionKind::Name || c.etype != EntityType::Person {
                    continue;
                }
                let Some(t) = self.title_before(&c.tokens, c.head) else {
                    continue;
                };
                if let Some(o) = self.cands.iter().find(|o| {
                    o.kind == MentionKind::Name
                        && o.etype == EntityType::Org
                        && o.government_of.is_none()
                        && t.start <= o.tokens.start
                        && o.tokens.end <= t.end
                }) {
                    if let Some(ok) = o.cluster.filter(|&ok| ok != k) {
                        // "WFP country director Karin Lindahl": the
                        // organisation's country, and its sector for a
                        // generic head.
                        let generic = c.info.head_word.as_deref().is_some_and(is_generic_head)
                            || c.info.sector.is_none();
                        let (oc, os) = codes[ok].clone();
                        if codes[k].0.is_none() {
                            codes[k].0 = oc;
                        }
                        if generic && codes[k].1.is_none() {
                            codes[k].1 = os;
                        }
                        // Any officer of a party, union, outlet or armed
                        // group acts for it ("FNT secretary-general Marta
                        // X", "LDA general secretary Y"), whatever the title.
                        if os.is_some_and(non_state) && codes[k].1 != Some("ELI") {
                            codes[k].1 = os;
                        }
                    }
                }
            }
        }
        // Second pass: roles that belong to an organisation take its codes
        // ("a spokesman for the Tajik foreign ministry", "the group's director").
        for &k in &live {
            for &m in &self.clusters[k].members {
                let c = &self.cands[m];
                let Some(owner) = c.owner else { continue };
                // "supporters of the junta" are not the junta.
                if c.info.head_word.as_deref() == Some("supporters") {
                    continue;
                }
                // The smallest other mention holding the owner ("the
                // ministry" in "a spokesman for the ministry"); not a pronoun
                // ("its president"): measured on dev, a pronoun's antecedent
                // is too often wrong to pass its codes on.
                let Some(ok) = self
                    .cands
                    .iter()
                    .enumerate()
                    .filter(|(o, cand)| {
                        *o != m
                            && cand.kind != MentionKind::Pronoun
                            && cand.tokens.contains(&owner)
                            && !cand.tokens.contains(&c.head)
                    })
                    .min_by_key(|(_, cand)| cand.tokens.len())
                    .and_then(|(_, o)| o.cluster)
                else {
                    continue;
                };
                if ok == k {
                    continue;
                }
                let (oc, os) = codes[ok].clone();
                let generic = c.info.head_word.as_deref().is_some_and(is_generic_head)
                    || c.info.sector.is_none();
                if codes[k].0.is_none() {
                    codes[k].0 = oc;
                }
                if (generic || os.is_some_and(non_state))
                    && os.is_some()
                    && codes[k].1 != Some("ELI")
                {
                    codes[k].1 = os;
                }
            }
        }
        // Unqualified domestic actors belong to the story's home country.
        let home = self.home_country();
        if let Some(home) = &home {
            for &k in &live {
                // A named outlet or civic group of no other country ("the
                // Essequibo Courier", "the Centre for Social Rights") is the
                // home country's too; unnamed reporters and activists may
                // have come from anywhere.
                let named_org = self.clusters[k].etype == Some(EntityType::Org)
                    && self.clusters[k]
                        .members
                        .iter()
                        .any(|&m| self.cands[m].kind == MentionKind::Name);
                // Journalists and outlets in the story are the home
                // country's ("two DBN reporters", "about 60 journalists",
                // "Marcus Beaton, DBN's news director"); the press a speaker
                // addresses ("told reporters") may have come from anywhere.
                let press = codes[k].1 == Some("JRN") && !self.press_audience(k);
                let domestic = codes[k].1.is_some_and(|s| {
                    !matches!(s, "JRN" | "REF" | "SOC" | "UAF" | "UNK" | "PRE")
                        || (named_org && matches!(s, "JRN" | "SOC"))
                }) || press;
                // Diplomats of no named country ("a Western diplomat", "one
                // diplomat briefed on the talks") are as likely foreign as not.
                let diplomats = self.clusters[k].members.iter().all(|&m| {
                    let c = &self.cands[m];
                    c.kind == MentionKind::Pronoun
                        || matches!(c.info.head_word.as_deref(), Some("diplomat" | "diplomats"))
                });
                // A defendant's or a party's lawyer works in the story's
                // courts ("His lawyer, Mwiche Lubinda,", "his lead counsel");
                // prisoners and detainees are held in its jails.
                let local = codes[k].1.is_none()
                    && self.clusters[k].members.iter().any(|&m| {
                        matches!(
                            self.cands[m].info.head_word.as_deref(),
                            Some("lawyer" | "lawyers" | "counsel" | "prisoners" | "detainees")
                        )
                    });
                if codes[k].0.is_none()
                    && (domestic || local)
                    && !diplomats
                    && !self.of_several_countries(k, codes[k].1)
                {
                    codes[k].0 = self.domestic_country(k, home);
                }
            }
        }
        let mut entities = Vec::new();
        for &k in &live {
            let cl = &self.clusters[k];
            let mut members = cl.members.clone();
            members.sort_by_key(|&m| self.cands[m].tokens.start);
            if members
                .iter()
                .all(|&m| self.cands[m].kind == MentionKind::Pronoun)
            {
                continue;
            }
            let etype = cl.etype.unwrap_or(EntityType::Person);
            let government = members
                .iter()
                .any(|&m| self.cands[m].government_of.is_some());
            let name = self.best_name(&members);
            let mut roles: Vec<String> = Vec::new();
            for &m in &members {
                if let Some(r) = &self.cands[m].info.role {
                    if !roles.iter().any(|x| x.eq_ignore_ascii_case(r)) {
                        roles.push(r.clone());
                    }
                }
            }
            let place = if matches!(etype, EntityType::Gpe | EntityType::Loc | EntityType::Fac)
                && !government
            {
                self.place_of(&members)
            } else {
                None
            };
            let (mut country, sector) = codes[k].clone();
            if let Some(p) = &place {
                if country.is_none() {
                    country = p.country.clone();
                }
            }
            if country.is_none()
                && place.is_none()
                && !government
                && matches!(etype, EntityType::Gpe | EntityType::Loc | EntityType::Fac)
                && !is_water_body(&name)
            {
                // A place too small for the gazetteer: the one country named
                // where it first appears, else the story's home country.
                let first = members
                    .iter()
                    .map(|&m| self.sent_of[self.cands[m].head])
                    .min()
                    .unwrap_or(0);
                let here = self.countries_in(first);
                country = match here.as_slice() {
                    [c] => Some(c.to_string()),
                    _ => home.clone(),
                };
            }
            let mut mentions: Vec<Mention> = members
                .iter()
                .map(|&m| Mention {
                    range: self.cands[m].range,
                    kind: self.cands[m].kind,
                })
                .collect();
            mentions.dedup_by_key(|m| m.range);
            entities.push(Entity {
                name,
                entity_type: etype,
                country,
                sector: sector.map(str::to_string),
                roles,
                place,
                mentions,
            });
        }
        entities.sort_by_key(|e| e.mentions[0].range.start);
        entities
    }
    /// A cluster the recogniser typed ORG whose names are no known
    /// organisation and which holds a person's title by apposition ("Santo
    /// Deng Kuol, a spokesman for ...", "Lam Chuol Gatdet, a former defence
    /// minister"): a person.
    pub(super) fn person_named_as_org(&self, k: usize) -> bool {
        let cl = &self.clusters[k];
        if cl.etype != Some(EntityType::Org) {
            return false;
        }
        let mut titled = false;
        for &m in &cl.members {
            let c = &self.cands[m];
            if c.government_of.is_some() {
                return false;
            }
            match c.kind {
                MentionKind::Name => {
                    if c.info.role_kind.is_some()
                        || self
                            .r
                            .lexicon
                            .institution(self.doc.slice(c.range))
                            .is_some()
                    {
                        return false;
                    }
                }
                MentionKind::Title => titled |= c.info.role_kind == Some(RoleKind::Person),
                MentionKind::Nominal => {
                    if c.info.role_kind == Some(RoleKind::Body) {
                        return false;
                    }
                }
                MentionKind::Pronoun => {}
            }
        }
        titled
    }
    /// Whether every mention of cluster `k` but pronouns is the press a
    /// speaker addresses: a bare plural after "told" or "briefed" ("told
    /// reporters", "briefed journalists").
    pub(super) fn press_audience(&self, k: usize) -> bool {
        self.clusters[k]
            .members
            .iter()
            .filter(|&&m| self.cands[m].kind != MentionKind::Pronoun)
            .all(|&m| {
                let c = &self.cands[m];
                c.number == Number::Plural
                    && c.tokens.len() == 1
                    && c.tokens.start > 0
                    && matches!(
                        self.lower[c.tokens.start - 1].as_str(),
                        "told"
                            | "tell"
                            | "tells"
                            | "telling"
                            | "briefed"
                            | "briefing"
                            | "addressed"
                    )
            })
    }
    /// Whether cluster `k` is a plural group of officials or troops of no
    /// named country first mentioned where several countries are: "officials
    /// from both sides said" after a US and a Chinese negotiator, "troops
    /// from 14 allied countries, including Finland and Sweden", "Kazakhstan
    /// and Uzbekistan did not agree, and officials said": any of them, so
    /// none.
    pub(super) fn of_several_countries(&self, k: usize, sector: Option<&str>) -> bool {
        let cl = &self.clusters[k];
        if cl.members.iter().any(|&m| {
            let c = &self.cands[m];
            c.kind != MentionKind::Pronoun && self.drawn_from_several(c.head)
        }) {
            return true;
        }
        if sector != Some("GOV") {
            return false;
        }
        let Some(&first) = cl
            .members
            .iter()
            .filter(|&&m| self.cands[m].kind != MentionKind::Pronoun)
            .min_by_key(|&&m| self.cands[m].tokens.start)
        else {
            return false;
        };
        let c = &self.cands[first];
        c.kind != MentionKind::Name
            && c.number == Number::Plural
            && c.info.country.is_none()
            && self.countries_in(self.sent_of[c.head]).len() >= 2
    }
    /// Whether the group headed at `h` is said to come from several states:
    /// "officials from both sides", "troops from 14 allied countries", "the
    /// presidents of Kazakhstan, Uzbekistan and Tajikistan".
    pub(super) fn drawn_from_several(&self, h: usize) -> bool {
        if !self
            .lower
            .get(h + 1)
            .is_some_and(|w| matches!(w.as_str(), "from" | "of"))
        {
            return false;
        }
        let end = self.doc.sentence(self.sent_of[h]).token_indices().end;
        let mut i = h + 2;
        if self.lower.get(i).is_some_and(|w| w == "the") {
            i += 1;
        }
        // "both sides", "14 allied countries", "several member states".
        let quantity = self.lower.get(i).is_some_and(|w| {
            matches!(
                w.as_str(),
                "both" | "all" | "several" | "many" | "various" | "other"
            ) || (self.upos(i) == Some(Upos::Num) && w != "one")
        });
        if quantity {
            return (i + 1..end.min(i + 4)).any(|j| {
                matches!(
                    self.lower[j].as_str(),
                    "sides"
                        | "countries"
                        | "nations"
                        | "states"
                        | "governments"
                        | "members"
                        | "allies"
                        | "parties"
                        | "capitals"
                )
            });
        }
        // A list of countries: "of Kazakhstan, Uzbekistan and Tajikistan".
        let mut countries = 0;
        while i < end {
            match self.country_at(i, end) {
                Some((_, n)) => {
                    countries += 1;
                    i += n;
                }
                None => break,
            }
            if !self
                .lower
                .get(i)
                .is_some_and(|w| matches!(w.as_str(), "," | "and" | "or"))
            {
                break;
            }
            i += 1;
        }
        countries >= 2
    }
    /// Distinct countries named in a sentence (names, nationality words, places).
    pub(super) fn countries_in(&self, sentence: usize) -> Vec<&str> {
        distinct_in(&self.named_countries, sentence)
    }
    /// The country of an actor the text gives none: the story's home country,
    /// unless the actor is named first in a sentence that names only other
    /// countries ("Foreign Minister Ivan Petrov arrived in Minsk" in a story
    /// from Vilnius): then the one country named there, or none.
    pub(super) fn domestic_country(&self, k: usize, home: &str) -> Option<String> {
        let cl = &self.clusters[k];
        let named = cl
            .members
            .iter()
            .any(|&m| self.cands[m].kind == MentionKind::Name);
        if named {
            let first = cl
                .members
                .iter()
                .filter(|&&m| self.cands[m].kind != MentionKind::Pronoun)
                .min_by_key(|&&m| self.cands[m].tokens.start)
                .map(|&m| self.sent_of[self.cands[m].head])?;
            // Only places named as locations count: "threatened duties on
            // Chinese imports if Beijing did not ..." says nothing of where
            // the actor is from.
            let here = distinct_in(&self.located_countries, first);
            if !here.is_empty() && !here.contains(&home) {
                // One other country named there is the actor's.
                return (here.len() == 1).then(|| here[0].to_string());
            }
        }
        Some(home.to_string())
    }
    pub(super) fn best_name(&self, members: &[usize]) -> String {
        let names = members
            .iter()
            .filter(|&&m| self.cands[m].kind == MentionKind::Name);
        if let Some(&m) = names.max_by_key(|&&m| {
            (
                self.cands[m].range.len(),
                std::cmp::Reverse(self.cands[m].range.start),
            )
        }) {
            return self.doc.slice(self.cands[m].range).to_string();
        }
        let m = members
            .iter()
            .copied()
            .find(|&m| self.cands[m].kind != MentionKind::Pronoun)
            .unwrap_or(members[0]);
        self.doc.slice(self.cands[m].range).to_string()
    }
    /// Country and sector from the strongest evidence among the mentions.
    pub(super) fn code_cluster(&self, k: usize) -> (Option<String>, Option<&'static str>) {
        let cl = &self.clusters[k];
        let mut best_country: Option<(u8, String)> = None;
        let mut best_sector: Option<(u8, &'static str)> = None;
        let mut former = false;
        let mut members = cl.members.clone();
        members.sort_by_key(|&m| self.cands[m].tokens.start);
        for &m in &members {
            let c = &self.cands[m];
            if c.kind == MentionKind::Pronoun {
                continue;
            }
            former |= c.info.former;
            let rank = if c.government_of.is_some() {
                4
            } else {
                match c.kind {
                    MentionKind::Name => 3,
                    MentionKind::Title => 3,
                    _ => 2,
                }
            };
            let country = c.government_of.clone().or_else(|| c.info.country.clone());
            if let Some(country) = country {
                if best_country.as_ref().is_none_or(|(r, _)| rank > *r) {
                    best_country = Some((rank, country));
                }
            }
            let sector = if c.government_of.is_some() {
                Some("GOV")
            } else {
                c.info.sector
            };
            if let Some(s) = sector.filter(|s| *s != "ELI") {
                if best_sector.as_ref().is_none_or(|(r, _)| rank > *r) {
                    best_sector = Some((rank, s));
                }
            }
        }
        let mut sector = best_sector.map(|(_, s)| s);
        // A party the story calls the opposition ("the Liberal
        // Conservatives, the largest opposition party") is OPP, not just PTY.
        if sector == Some("PTY")
            && members
                .iter()
                .any(|&m| self.cands[m].info.sector == Some("OPP"))
        {
            sector = Some("OPP");
        }
        if former && cl.etype == Some(EntityType::Person) {
            sector = Some("ELI");
        }
        (best_country.map(|(_, c)| c), sector)
    }
    pub(super) fn place_of(&self, members: &[usize]) -> Option<Place> {
        let countries: Vec<&str> = self.doc_countries.iter().map(String::as_str).collect();
        for &m in members {
            let c = &self.cands[m];
            if c.kind != MentionKind::Name {
                continue;
            }
            let text = self.doc.slice(c.range);
            if let Some(code) = &c.info.country {
                if let Some(p) = self.r.places.resolve(text, &countries) {
                    if p.country == code || p.feature == Feature::Continent {
                        return Some(p.to_place());
                    }
                }
                if self
                    .r
                    .gazetteer
                    .lookup_kind(text, GazKind::Country)
                    .next()
                    .is_some()
                {
                    if let Some(p) = self.r.places.country(code) {
                        return Some(p.to_place());
                    }
                }
                continue;
            }
            if let Some(p) = self.r.places.resolve(text, &countries) {
                return Some(p.to_place());
            }
        }
        // A facility or spot the gazetteer lacks, placed by the town after
        // it: "the Olenya air base near Murmansk", "a farm outside Lusaka".
        let after = members.iter().find_map(|&m| {
            let c = &self.cands[m];
            let unnamed_facility = c.kind == MentionKind::Nominal && c.etype == EntityType::Fac;
            ((c.kind == MentionKind::Name || unnamed_facility) && c.info.country.is_none())
                .then(|| self.place_after(c.tokens.end, &countries))
                .flatten()
        });
        if after.is_some() {
            return after;
        }
        // An unnamed landmark ("the presidential palace", "the congress
        // hall") with no town after it stands in the town the story was
        // filed from, when that town is in the story's home country.
        let unnamed = members.iter().all(|&m| {
            let c = &self.cands[m];
            c.kind == MentionKind::Nominal && c.etype == EntityType::Fac
        });
        let dateline = self.dateline.as_ref().filter(|_| unnamed)?;
        let place = self
            .r
            .places
            .resolve(self.span_text(&dateline.place), &countries)
            .filter(|p| !matches!(p.feature, Feature::Country | Feature::Continent))?;
        (Some(place.country) == self.home_country().as_deref()).then(|| place.to_place())
    }
    /// The place named right after token `end` by "near"/"in"/"outside"/
    /// "at" (", near Murmansk"): its gazetteer entry.
    fn place_after(&self, end: usize, countries: &[&str]) -> Option<Place> {
        let mut k = end;
        if self.lower.get(k).is_some_and(|w| w == ",") {
            k += 1;
        }
        if !self
            .lower
            .get(k)
            .is_some_and(|w| matches!(w.as_str(), "near" | "in" | "outside" | "at"))
        {
            return None;
        }
        let anchor = self.cands.iter().find(|c| {
            c.tokens.start == k + 1
                && c.kind == MentionKind::Name
                && matches!(c.etype, EntityType::Gpe | EntityType::Loc)
        })?;
        self.r
            .places
            .resolve(self.doc.slice(anchor.range), countries)
            .filter(|p| !matches!(p.feature, Feature::Country | Feature::Continent))
            .map(|p| p.to_place())
    }
}

/// Sectors of bodies outside the state, whose officers act for them
/// whatever their title says ("secretary", "president", "director").
fn non_state(sector: &str) -> bool {
    matches!(
        sector,
        "PTY" | "OPP" | "LAB" | "SOC" | "JRN" | "REB" | "BUS" | "EDU" | "REL" | "MED" | "AGR"
    )
}

/// Distinct countries of one sentence in a (sentence, country) list.
fn distinct_in(list: &[(usize, String)], sentence: usize) -> Vec<&str> {
    let mut here: Vec<&str> = list
        .iter()
        .filter(|(s, _)| *s == sentence)
        .map(|(_, c)| c.as_str())
        .collect();
    here.sort();
    here.dedup();
    here
}
