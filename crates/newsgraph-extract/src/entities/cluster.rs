//! Clustering of names and nominals: exact names, surnames, acronyms and aliases, appositions, title–name compounds, definite nominals to the entity holding that role.

use super::*;

impl<'a> Resolver<'a> {
    pub(super) fn cluster_of(&self, c: usize) -> Option<usize> {
        self.cands[c].cluster
    }
    pub(super) fn new_cluster(&mut self, c: usize) -> usize {
        let id = self.clusters.len();
        self.clusters.push(Cluster::default());
        self.join(c, id);
        id
    }
    pub(super) fn join(&mut self, c: usize, k: usize) {
        let key = if self.clusters[k].group_key.is_none() {
            self.group_key(c)
        } else {
            None
        };
        self.cands[c].cluster = Some(k);
        let cand = &self.cands[c];
        let cl = &mut self.clusters[k];
        cl.members.push(c);
        if cand.kind != MentionKind::Pronoun {
            let first_name = cand.kind == MentionKind::Name
                && cand.government_of.is_none()
                && cl
                    .members
                    .iter()
                    .all(|&m| self.cands[m].kind != MentionKind::Name || m == c);
            if cl.etype.is_none() || first_name {
                {
                    cl.etype = Some(if cand.government_of.is_some() {
                        EntityType::Org
                    } else {
                        cand.etype
                    });
                }
            }
            if cl.number.is_none() || cand.kind == MentionKind::Name {
                cl.number = Some(cand.number);
            }
        }
        let g = cand.pronoun_gender.or(cand.info.gender);
        if let Some(g) = g.filter(|g| *g != Gender::Unknown) {
            cl.gender.get_or_insert(g);
        }
        if cl.group_key.is_none() {
            cl.group_key = key;
        }
    }
    pub(super) fn merge(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        let (keep, gone) = (a.min(b), a.max(b));
        let members = std::mem::take(&mut self.clusters[gone].members);
        self.clusters[gone].dead = true;
        let key = self.clusters[gone].group_key.take();
        for m in members {
            self.join(m, keep);
        }
        if self.clusters[keep].group_key.is_none() {
            self.clusters[keep].group_key = key;
        }
    }
    pub(super) fn group_key(&self, c: usize) -> Option<(u8, Option<&'static str>, String)> {
        let cand = &self.cands[c];
        if let Some(country) = &cand.government_of {
            return Some((0, Some("GOV"), country.clone()));
        }
        if cand.kind != MentionKind::Nominal {
            return None;
        }
        let country = cand.info.country.clone()?;
        // "China's foreign ministry", "the Kenyan interior ministry": one
        // department of a government, an actor of its own (its head word
        // still finds "the ministry" later on).
        let department = cand.info.head_word.as_deref().is_some_and(is_department);
        match cand.info.role_kind? {
            RoleKind::Body if department => None,
            RoleKind::Body if cand.info.sector == Some("GOV") => Some((0, Some("GOV"), country)),
            RoleKind::Body => Some((1, cand.info.sector, country)),
            RoleKind::Group => Some((2, cand.info.sector, country)),
            RoleKind::Person => None,
        }
    }
    pub(super) fn cluster_names_and_nominals(&mut self) {
        // Appositions: (earlier, later) pairs of candidates.
        let mut appos: Vec<(usize, usize)> = Vec::new();
        if self.parsed {
            for a in 0..self.cands.len() {
                for b in 0..self.cands.len() {
                    if a == b
                        || self.cands[b].kind == MentionKind::Pronoun
                        || self.cands[a].kind == MentionKind::Pronoun
                    {
                        continue;
                    }
                    let (ha, hb) = (self.cands[a].head, self.cands[b].head);
                    if self.deprel(hb) == Some(Deprel::Appos) && self.head(hb) == Some(ha) {
                        let both_names = self.cands[a].kind == MentionKind::Name
                            && self.cands[b].kind == MentionKind::Name;
                        // Two place names side by side are a location and
                        // its country ("Antalya, Turkey") or a dateline and the
                        // story's first words ("VIENNA, June 14 - Iran let ..."),
                        // never one entity.
                        let places = |c: &Cand| {
                            matches!(c.etype, EntityType::Gpe | EntityType::Loc)
                                && c.government_of.is_none()
                        };
                        let two_places =
                            both_names && places(&self.cands[a]) && places(&self.cands[b]);
                        if !two_places
                            && (!both_names || self.cands[a].etype == self.cands[b].etype)
                        {
                            appos.push((a.min(b), a.max(b)));
                        }
                    }
                }
            }
        }
        // Acronyms in parentheses after a name: "Collective Security Treaty Organization (CSTO)".
        for c in 0..self.cands.len() {
            let t = &self.cands[c].tokens;
            if t.start >= 2
                && self.lower[t.start - 1] == "("
                && self.lower.get(t.end).is_some_and(|w| w == ")")
            {
                if let Some(prev) = (0..c).rev().find(|&p| {
                    self.cands[p].tokens.end == t.start - 1
                        && self.cands[p].kind == MentionKind::Name
                }) {
                    appos.push((prev, c));
                }
            }
        }
        // A title phrase set off before a name ("Russia's ambassador to
        // international organisations in Vienna, Vadim Yelagin, said"; "a
        // lawyer for the party, Comfort Nyemah, said"): the parser often
        // misses this apposition, so it is read from the words.
        // Such a title names the person beside it, not an earlier holder of
        // the role ("the ambassador" of another country named before).
        let mut set_off: Vec<usize> = Vec::new();
        for t in 0..self.cands.len() {
            if let Some(n) = self.title_apposition(t) {
                appos.push((t.min(n), t.max(n)));
                set_off.push(t);
            }
        }
        for c in 0..self.cands.len() {
            if self.cands[c].kind == MentionKind::Pronoun {
                continue;
            }
            let target = if set_off.contains(&c) {
                None
            } else {
                self.antecedent(c)
            };
            match target {
                Some(k) => self.join(c, k),
                None => {
                    self.new_cluster(c);
                }
            }
            for &(a, b) in &appos {
                if b == c {
                    if let (Some(ka), Some(kb)) = (self.cluster_of(a), self.cluster_of(b)) {
                        if self.compatible_types(ka, kb) {
                            self.merge(ka, kb);
                        }
                    }
                }
            }
        }
    }
    /// The person's name a singular title phrase is set off before:
    /// `<title ...> , <Name> ,` (or the name then a verb), with no verb and
    /// no other person's name between the title and the comma; a name
    /// followed by "and" is a list, not an apposition.
    fn title_apposition(&self, t: usize) -> Option<usize> {
        let title = &self.cands[t];
        if title.kind != MentionKind::Title || title.number == Number::Plural {
            return None;
        }
        let end = self
            .doc
            .sentence(self.sent_of[title.head])
            .token_indices()
            .end;
        // The title is no complement of a preposition or a verb ("according
        // to the minister, Kerry has ..."), looking past its possessor
        // ("the OAS' special rapporteur", "Russia's ambassador").
        let s = self
            .doc
            .sentence(self.sent_of[title.head])
            .token_indices()
            .start;
        let mut j = title.tokens.start;
        while j > s
            && (matches!(self.lower[j - 1].as_str(), "'s" | "’s" | "'" | "’")
                || self.upos(j - 1) == Some(Upos::Det)
                || self
                    .cands
                    .iter()
                    .any(|c| c.kind == MentionKind::Name && c.tokens.contains(&(j - 1))))
        {
            j -= 1;
        }
        if j > s
            && matches!(
                self.upos(j - 1),
                Some(Upos::Adp | Upos::Sconj | Upos::Verb | Upos::Aux)
            )
        {
            return None;
        }
        let comma =
            (title.tokens.end..end.min(title.tokens.end + 12)).find(|&k| self.lower[k] == ",")?;
        if (title.tokens.end..comma).any(|k| {
            matches!(self.upos(k), Some(Upos::Verb | Upos::Aux))
                || self.cands.iter().any(|c| {
                    c.kind == MentionKind::Name
                        && c.etype == EntityType::Person
                        && c.tokens.contains(&k)
                })
        }) {
            return None;
        }
        let n = self.cands.iter().position(|c| {
            c.kind == MentionKind::Name
                && matches!(c.etype, EntityType::Person | EntityType::Org)
                && c.tokens.start == comma + 1
        })?;
        let after = self.cands[n].tokens.end;
        let closes = after >= end
            || self.lower[after] == ","
            || matches!(self.upos(after), Some(Upos::Verb | Upos::Aux));
        (closes && self.lower.get(after + 1).is_none_or(|w| w != "and")).then_some(n)
    }
    pub(super) fn compatible_types(&self, a: usize, b: usize) -> bool {
        let (ta, tb) = (self.clusters[a].etype, self.clusters[b].etype);
        match (ta, tb) {
            (Some(x), Some(y)) => {
                x == y
                    || matches!(
                        (x, y),
                        (
                            EntityType::Gpe | EntityType::Loc,
                            EntityType::Gpe | EntityType::Loc
                        )
                    )
                    || self.clusters[a]
                        .members
                        .iter()
                        .chain(&self.clusters[b].members)
                        .any(|&m| self.cands[m].kind != MentionKind::Name)
                        && !(matches!(x, EntityType::Gpe | EntityType::Loc)
                            ^ matches!(y, EntityType::Gpe | EntityType::Loc))
            }
            _ => true,
        }
    }
    /// The cluster an earlier mention started that this name or nominal joins.
    pub(super) fn antecedent(&self, c: usize) -> Option<usize> {
        let cand = &self.cands[c];
        if let Some(key) = self.group_key(c) {
            if let Some(k) = self
                .live_clusters()
                .rev()
                .find(|&k| self.clusters[k].group_key.as_ref() == Some(&key))
            {
                return Some(k);
            }
        }
        match cand.kind {
            MentionKind::Name => {
                if cand.government_of.is_some() {
                    return None;
                }
                self.live_clusters().rev().find(|&k| {
                    self.clusters[k].members.iter().any(|&m| {
                        let other = &self.cands[m];
                        other.kind == MentionKind::Name
                            && other.government_of.is_none()
                            && self.names_match(other, cand)
                    })
                })
            }
            MentionKind::Title | MentionKind::Nominal => {
                if cand.indefinite {
                    return None;
                }
                let head = cand.info.head_word.as_deref()?;
                // A bare "the government" is the home country's government
                // met before ("Managua said ... the government"), when that
                // is the government the story named last.
                if head == "government"
                    && cand.info.country.is_none()
                    && self.qualifier(cand).is_empty()
                {
                    let last = self.live_clusters().rev().find(|&k| {
                        matches!(&self.clusters[k].group_key, Some((0, Some("GOV"), _)))
                    });
                    if let Some(k) = last {
                        let country = self.clusters[k].group_key.as_ref().map(|g| g.2.as_str());
                        if country.is_some() && country == self.home_country().as_deref() {
                            return Some(k);
                        }
                    }
                }
                let person = cand.info.role_kind == Some(RoleKind::Person);
                let generic_body = matches!(
                    head,
                    "alliance" | "bloc" | "group" | "agency" | "organisation" | "organization"
                );
                // "the association", "the commission": the last organisation
                // whose name has that word ("Media Workers' Association").
                let named_body = cand.info.role_kind == Some(RoleKind::Body)
                    && matches!(
                        head,
                        "association"
                            | "federation"
                            | "commission"
                            | "council"
                            | "committee"
                            | "movement"
                            | "headquarters"
                            | "alliance"
                            | "union"
                            | "party"
                            | "agency"
                    );
                if named_body {
                    let found = self.live_clusters().rev().find(|&k| {
                        self.clusters[k].members.iter().any(|&m| {
                            let other = &self.cands[m];
                            other.kind == MentionKind::Name
                                && other.etype == EntityType::Org
                                && other.government_of.is_none()
                                && other.key.split_whitespace().any(|w| w == head)
                        })
                    });
                    if found.is_some() {
                        return found;
                    }
                    // "the party" after "Progressive Alliance for Change
                    // (PAC)": the organisation last named whose name reads
                    // like a party's ("Alliance", "Front", "Democratic"),
                    // with no other sector.
                    if head == "party" && cand.tokens.len() == 2 {
                        let found = self
                            .live_clusters()
                            .filter_map(|k| {
                                let members = &self.clusters[k].members;
                                let named = |m: &usize| {
                                    let o = &self.cands[*m];
                                    o.kind == MentionKind::Name && o.tokens.end <= cand.tokens.start
                                };
                                let party = members.iter().filter(|m| named(m)).any(|&m| {
                                    let other = &self.cands[m];
                                    other.etype == EntityType::Org
                                        && other.government_of.is_none()
                                        && other.key.split_whitespace().any(is_party_word)
                                        && matches!(other.info.sector, None | Some("PTY" | "OPP"))
                                        && !matches!(
                                            other.info.country.as_deref(),
                                            Some("UNO" | "EUR" | "IGO" | "NGO" | "IMG" | "MNC")
                                        )
                                });
                                let last = members
                                    .iter()
                                    .filter(|m| named(m))
                                    .map(|&m| self.cands[m].tokens.start)
                                    .max();
                                last.filter(|_| party).map(|last| (last, k))
                            })
                            .max()
                            .map(|(_, k)| k);
                        if found.is_some() {
                            return found;
                        }
                    }
                }
                self.live_clusters().rev().find(|&k| {
                    let cl = &self.clusters[k];
                    cl.members.iter().any(|&m| {
                        let other = &self.cands[m];
                        if other.kind == MentionKind::Pronoun {
                            return false;
                        }
                        if person {
                            // "the foreign minister" -> someone with that role.
                            other.info.role.as_deref().is_some_and(|r| {
                                let r = r.to_lowercase();
                                cand.info.role.as_deref().is_some_and(|mine| {
                                    let mine = mine.to_lowercase();
                                    mine.split_whitespace()
                                        .filter(|w| *w != "the")
                                        .all(|w| r.contains(w))
                                })
                            }) && (cand.info.country.is_none()
                                || other.info.country == cand.info.country)
                        } else if generic_body {
                            // "the alliance", "the group": the last organisation named.
                            other.kind == MentionKind::Name
                                && other.etype == EntityType::Org
                                && other.government_of.is_none()
                        } else {
                            // "the finance ministry" is not "the foreign
                            // ministry": two bodies qualified differently
                            // are two bodies.
                            let own = self.qualifier(cand);
                            // Sector alone never joins a department or a
                            // mission abroad to another body ("the
                            // government" is not "its embassy"), nor any
                            // body to one met indefinitely ("an office in
                            // Brussels"): those need the same head word.
                            let by_sector = !other.indefinite
                                && !is_department(head)
                                && !other.info.head_word.as_deref().is_some_and(is_department);
                            other.kind != MentionKind::Name
                                && (cand.info.role_kind != Some(RoleKind::Body)
                                    || own.is_empty()
                                    || {
                                        let theirs = self.qualifier(other);
                                        theirs.is_empty() || theirs == own
                                    })
                                && other.info.role_kind == cand.info.role_kind
                                && (other.info.head_word.as_deref() == Some(head)
                                    || (by_sector
                                        && cand.info.sector.is_some()
                                        && other.info.sector == cand.info.sector))
                                && (cand.info.country.is_none()
                                    || other.info.country == cand.info.country)
                        }
                    })
                })
            }
            MentionKind::Pronoun => None,
        }
    }
    /// The words before a nominal's head that say which one it is, without
    /// determiners, possessives and country words: "water resources" in "the
    /// water resources ministry", "foreign" in "India's foreign ministry".
    fn qualifier(&self, c: &Cand) -> String {
        let mut words: Vec<&str> = Vec::new();
        let mut i = c.tokens.start;
        while i < c.head {
            if let Some((_, n)) = self.country_at(i, c.head) {
                i += n;
                continue;
            }
            let w = self.lower[i].as_str();
            if !matches!(
                self.upos(i),
                Some(Upos::Det | Upos::Pron | Upos::Punct | Upos::Part)
            ) && !matches!(w, "'s" | "’s" | "the" | "its" | "their")
            {
                words.push(w);
            }
            i += 1;
        }
        words.join(" ")
    }
    pub(super) fn live_clusters(&self) -> impl DoubleEndedIterator<Item = usize> + '_ {
        (0..self.clusters.len()).filter(|&k| !self.clusters[k].dead)
    }
    pub(super) fn names_match(&self, a: &Cand, b: &Cand) -> bool {
        if a.key == b.key {
            return true;
        }
        let lex = self.r.lexicon;
        let ta = self.span_text(&a.tokens);
        let tb = self.span_text(&b.tokens);
        match (a.etype, b.etype) {
            (EntityType::Person, EntityType::Person) => {
                let wa: Vec<&str> = a.key.split_whitespace().collect();
                let wb: Vec<&str> = b.key.split_whitespace().collect();
                let (short, long) = if wa.len() <= wb.len() {
                    (wa, wb)
                } else {
                    (wb, wa)
                };
                if short.is_empty() {
                    return false;
                }
                // A family name written first ("Seo Jae-won" ... "Seo", "Han
                // Zhiyuan" ... "Han"): the first word of a two-word name,
                // when the story never uses its last word alone.
                let family_first = short.len() == 1
                    && long.len() == 2
                    && long[0] == short[0]
                    && !self.cands.iter().any(|c| {
                        c.kind == MentionKind::Name
                            && c.etype == EntityType::Person
                            && c.key == long[1]
                    });
                long.ends_with(&short) || family_first
            }
            (EntityType::Org, EntityType::Org) => {
                if let (Some(x), Some(y)) = (lex.institution(ta), lex.institution(tb)) {
                    return x.canonical == y.canonical;
                }
                acronym_of(ta, tb) || acronym_of(tb, ta)
            }
            (EntityType::Gpe | EntityType::Loc, EntityType::Gpe | EntityType::Loc) => {
                let code = |t: &str| {
                    self.r
                        .gazetteer
                        .lookup_kind(t, GazKind::Country)
                        .find_map(|e| e.country.clone())
                };
                matches!((code(ta), code(tb)), (Some(x), Some(y)) if x == y)
            }
            _ => false,
        }
    }
}

/// Words of party names that do not say "party": "Progressive Alliance for
/// Change", "National Progress Front", "Liberal Democrats".
fn is_party_word(w: &str) -> bool {
    matches!(
        w,
        "alliance"
            | "front"
            | "movement"
            | "congress"
            | "league"
            | "union"
            | "democrats"
            | "democratic"
            | "socialists"
            | "socialist"
            | "conservatives"
            | "conservative"
            | "liberals"
            | "liberal"
            | "republicans"
            | "greens"
            | "progressive"
            | "progress"
            | "renewal"
            | "unity"
            | "rally"
    )
}

/// Head words of a government's departments and of its missions abroad
/// ("China's foreign ministry", "its embassy in Dhaka"): each is an actor
/// of its own, never the government's group nor another body of its sector.
fn is_department(w: &str) -> bool {
    matches!(
        w,
        "ministry"
            | "department"
            | "office"
            | "agency"
            | "service"
            | "services"
            | "embassy"
            | "embassies"
            | "consulate"
            | "consulates"
    )
}
