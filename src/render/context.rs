//! Turns the site model into the views one page's template gets: for each
//! page its `page` view, and the article, list or terms view, with every
//! URL already relative to that page.

use crate::error::Result;
use crate::load::article::Article;
use crate::load::frontmatter::MenuPlace;
use crate::load::i18n::I18n;
use crate::load::theme::Theme;
use crate::model::pagination::{page_path, Links, Pages};
use crate::model::site::{LangTree, Site};
use crate::render::bodies::{Bodies, Image};
use crate::render::parts::{CardCache, Chrome, ChromeCache, PartTemplates, Variant, CARD, FOOTER, HEADER};
use crate::render::plan::Page;
use crate::render::views::*;
use crate::urls::{absolute, PagePath};
use std::collections::BTreeMap;

/// What every page's render reads, and nothing else: the site, the
/// rendered bodies, the theme's words in each language, and the theme
/// files' fingerprinted names.
pub struct PageContext<'a> {
    site: &'a Site,
    bodies: &'a Bodies,
    /// Per language tree, in the site's order.
    i18n: Vec<&'a I18n>,
    /// Theme file → its fingerprinted name.
    assets: &'a BTreeMap<String, String>,
    /// Per article: its date as cards print it (ISO, then in words), made
    /// once: an article's card is on a dozen pages.
    card_dates: Vec<std::sync::OnceLock<(String, String)>>,
    /// The theme's part templates, and the parts rendered.
    parts: Option<&'a dyn PartTemplates>,
    cards: CardCache,
    chrome: ChromeCache,
}

impl<'a> PageContext<'a> {
    pub fn new(
        site: &'a Site,
        bodies: &'a Bodies,
        theme: &'a Theme,
        parts: Option<&'a dyn PartTemplates>,
        assets: &'a BTreeMap<String, String>,
    ) -> Result<PageContext<'a>> {
        let i18n = theme.i18n_of(site.langs().iter().map(|t| t.code.as_str()))?;
        let card_dates = site.articles().iter().map(|_| std::sync::OnceLock::new()).collect();
        let cards = CardCache::new(site.articles().len());
        Ok(PageContext { site, bodies, i18n, assets, card_dates, parts, cards, chrome: ChromeCache::default() })
    }

    pub fn site(&self) -> &'a Site {
        self.site
    }

    pub fn bodies(&self) -> &'a Bodies {
        self.bodies
    }

    /// The theme's words for language tree `lang`.
    pub fn i18n(&self, lang: usize) -> &'a I18n {
        self.i18n[lang]
    }

    /// Theme file → its fingerprinted name.
    pub fn assets(&self) -> &'a BTreeMap<String, String> {
        self.assets
    }

    /// A page's address.
    pub fn path(&self, page: Page) -> PagePath {
        page.path(self.site)
    }

    fn tree(&self, code: &str) -> (usize, &'a LangTree) {
        let i = self.site.langs().iter().position(|t| t.code == code).expect("article language has a tree");
        (i, &self.site.langs()[i])
    }

    /// The `page` view. `lang` is the language tree index.
    pub fn page_view(
        &self,
        lang: usize,
        path: &PagePath,
        u: &'a Urls,
        title: String,
        current_section: Option<&str>,
    ) -> PageView<'a> {
        let site = self.site;
        let cfg = &site.config();
        let tree = &site.langs()[lang];
        let language = &cfg.languages[lang];
        let i18n = self.i18n[lang];
        PageView {
            root: &u.root,
            title,
            description: language.description.clone(),
            canonical: absolute(&cfg.base_url, path.as_str()),
            og_type: "website",
            // The site's picture (`image:` in site.yaml) until a page has its own.
            og_image: self.bodies.site_image.as_ref().map(|i| absolute(&cfg.base_url, i)),
            json_ld: None,
            article_meta: None,
            alternates: Vec::new(),
            onion_location: cfg
                .mirrors
                .iter()
                .find(|m| m.kind == crate::load::mirrors::Kind::Onion && cfg.onion_location_meta)
                .map(|m| m.page_url(path.as_str())),
            header: None,
            footer: None,
            chrome: ChromeView {
                lang: &tree.code,
                site_title: &language.title,
                site_description: language.description.as_deref(),
                copyright: language.copyright.as_deref(),
                home_url: u.page(&tree.home),
                tags_url: u.page(&tree.home.join("tags")),
                authors_url: u.page(&tree.home.join("authors")),
                corrections_url: u.page(&tree.home.join("corrections")),
                search_url: u.page(&tree.home.join("search")),
                stylesheet: self.asset_url("site.css", u),
                syntax_stylesheet: self.asset_url("syntax.css", u),
                favicon: self.asset_url("favicon.svg", u),
                assets: self.assets.iter().map(|(k, v)| (k.clone(), u.file(v))).collect(),
                nav: tree
                    .sections
                    .iter()
                    .map(|s| NavItem {
                        title: s.title.clone(),
                        url: u.page(&s.path),
                        current: current_section == Some(s.name.as_str()),
                    })
                    .collect(),
                menu_header: self.menu(&tree.code, MenuPlace::Header, path, u),
                menu_footer: self.menu(&tree.code, MenuPlace::Footer, path, u),
                languages: site
                    .langs()
                    .iter()
                    .enumerate()
                    .map(|(j, other)| LanguageLink {
                        code: other.code.clone(),
                        name: self.i18n[j].get("language_name").to_string(),
                        url: u.page(&self.counterpart(j, current_section)),
                        current: j == lang,
                    })
                    .collect(),
                // Only addresses that last: every page would change with the
                // rotating ones, and every mirror upload it again.
                mirrors: self.mirror_views(&tree.code).into_iter().filter(|m| m.stable).collect(),
                // Offered when there is another address to offer.
                mirrors_url: (!cfg.mirrors.is_empty()).then(|| u.page(&tree.home.join("mirrors"))),
                feeds: FeedLinks::of(&tree.home, &language.title, u),
                newsletter: language.newsletter.as_ref(),
                donate: language.donate.as_ref(),
                t: &i18n.strings,
            },
        }
    }

    /// `view` with the masthead and footer of its chrome, when the theme
    /// has templates for them: rendered once per distinct chrome.
    pub fn with_chrome(&self, mut view: PageView<'a>) -> Result<PageView<'a>> {
        let Some(parts) = self.parts else { return Ok(view) };
        let (has_header, has_footer) = (parts.has(HEADER), parts.has(FOOTER));
        if !has_header && !has_footer {
            return Ok(view);
        }
        let render = || {
            let mut vars = tera::Context::new();
            vars.insert("page", &view.chrome);
            let part = |name: &str, has: bool| has.then(|| parts.render_part(name, &vars)).transpose();
            Ok(Chrome { header: part(HEADER, has_header)?, footer: part(FOOTER, has_footer)? })
        };
        let chrome = self.chrome.get(view.chrome.key(), render)?;
        view.header = chrome.header.clone();
        view.footer = chrome.footer.clone();
        Ok(view)
    }

    /// The standalone pages of menu `place` in language `lang`.
    fn menu(&self, lang: &str, place: MenuPlace, here: &PagePath, u: &Urls) -> Vec<NavItem> {
        let pages = self.site.standalone();
        let item = |i: usize| NavItem {
            title: pages[i].title().to_string(),
            url: u.page(pages[i].path()),
            current: pages[i].path() == here,
        };
        self.site.menu(lang, place).into_iter().map(item).collect()
    }

    fn asset_url(&self, name: &str, u: &Urls) -> String {
        u.file(self.assets.get(name).map_or(name, String::as_str))
    }

    pub fn mirror_views(&self, lang: &str) -> Vec<MirrorView> {
        let mirrors = &self.site.config().mirrors;
        mirrors
            .iter()
            .map(|m| MirrorView { kind: m.kind, label: m.label(lang), url: m.url.clone(), stable: m.stable })
            .collect()
    }

    /// The page in language `to` that best matches a page in `from`: the same
    /// section if it exists there, else the home page.
    fn counterpart(&self, to: usize, section: Option<&str>) -> PagePath {
        let t = &self.site.langs()[to];
        section.and_then(|s| t.section(s)).map_or_else(|| t.home.clone(), |s| s.path.clone())
    }

    pub fn image(
        &self,
        img: &Image,
        alt: Option<&str>,
        caption: Option<&str>,
        credit: Option<&str>,
        u: &Urls,
    ) -> ImageView {
        ImageView {
            url: u.file(&img.site_path),
            srcset: (!img.sizes.is_empty()).then(|| crate::image_sizes::srcset(&img.sizes, |p| u.file(p))),
            alt: alt.or(caption).unwrap_or("").to_string(),
            caption: caption.map(str::to_string),
            credit: credit.map(str::to_string),
            width: img.width,
            height: img.height,
            focus: None,
        }
    }

    /// Article `id`'s card on a page whose links start with `u`, shown as
    /// `variant`: rendered once by the theme's card template, or its fields
    /// for a theme without one.
    pub fn card(&self, id: usize, u: &Urls, variant: Variant) -> Result<Card> {
        let Some(parts) = self.parts.filter(|p| p.has(CARD)) else {
            return Ok(Card::Fields(Box::new(self.card_fields(id, u))));
        };
        let render = || {
            let mut vars = tera::Context::new();
            vars.insert("card", &self.card_fields(id, u));
            vars.insert("lead", &variant.lead);
            vars.insert("kicker", &variant.kicker);
            parts.render_part(CARD, &vars)
        };
        Ok(Card::Rendered { html: self.cards.html(id, variant, render)? })
    }

    fn card_fields(&self, id: usize, u: &Urls) -> CardView {
        let a = &self.site.articles()[id];
        let (l, tree) = self.tree(&a.lang);
        let status = status(a);
        let (date_iso, date) =
            self.card_dates[id].get_or_init(|| (a.date.to_rfc3339(), self.i18n[l].date(&a.date))).clone();
        CardView {
            title: a.title.clone(),
            url: u.page(&a.path),
            summary: a.summary.clone(),
            date_iso,
            date,
            section: section_link(tree, a, u),
            authors: a
                .authors
                .iter()
                .map(|n| LinkView { name: n.clone(), url: u.page(&tree.author(n).path) })
                .collect(),
            photo: self.bodies.photos[id].as_ref().map(|img| {
                let p = a.photo.as_ref().expect("a resolved photo has front matter");
                ImageView { focus: p.focus.clone(), ..self.image(img, p.alt.as_deref(), p.caption.as_deref(), None, u) }
            }),
            status,
            status_label: status.map(|s| self.i18n[l].get(&format!("status_{s}")).to_string()),
        }
    }

    pub fn article_view(&self, id: usize, u: &Urls) -> Result<ArticleView> {
        let a = &self.site.articles()[id];
        let (l, tree) = self.tree(&a.lang);
        let i18n = self.i18n[l];
        let card = self.card_fields(id, u);
        let related = self.site.related(id).iter().map(|&j| self.card(j, u, Variant::PLAIN));
        Ok(ArticleView {
            title: card.title,
            url: card.url,
            summary: card.summary,
            date_iso: card.date_iso,
            date: i18n.datetime(&a.date),
            updated_iso: a.updated.map(|d| d.to_rfc3339()),
            updated: a.updated.map(|d| i18n.datetime(&d)),
            dateline: a.dateline.clone(),
            authors: card.authors,
            section: card.section,
            tags: a
                .tags
                .iter()
                .map(|n| {
                    let t = tree.tag(n);
                    LinkView { name: t.name.clone(), url: u.page(&t.path) }
                })
                .collect(),
            photo: self.bodies.photos[id].as_ref().map(|img| {
                let p = a.photo.as_ref().expect("a resolved photo has front matter");
                let view = self.image(img, p.alt.as_deref(), p.caption.as_deref(), p.credit.as_deref(), u);
                ImageView { focus: p.focus.clone(), ..view }
            }),
            body: self.body(id).to_string(),
            has_code: self.body(id).contains("<pre class=\"code\">"),
            wire_credit: a.wire_credit.clone(),
            translations: self
                .site
                .translations(id)
                .iter()
                .map(|&j| {
                    let other = &self.site.articles()[j];
                    let (ol, _) = self.tree(&other.lang);
                    TranslationView {
                        lang: other.lang.clone(),
                        language: self.i18n[ol].get("language_name").to_string(),
                        title: other.title.clone(),
                        url: u.page(&other.path),
                    }
                })
                .collect(),
            related: related.collect::<Result<_>>()?,
            corrections: self.corrections(a),
            status: card.status,
            status_label: card.status_label,
        })
    }

    fn body(&self, id: usize) -> &str {
        self.bodies.html[id].as_deref().expect("a body is rendered before its page")
    }

    pub fn json_ld(&self, a: &Article, photo: Option<&Image>) -> String {
        let cfg = &self.site.config();
        let (_, tree) = self.tree(&a.lang);
        let authors: Vec<serde_json::Value> = a
            .authors
            .iter()
            .map(|n| serde_json::json!({"@type": "Person", "name": n, "url": absolute(&cfg.base_url, tree.author(n).path.as_str())}))
            .collect();
        let mut v = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "datePublished": a.date.to_rfc3339(),
            "dateModified": a.updated.unwrap_or(a.date).to_rfc3339(),
            "inLanguage": a.lang,
            "mainEntityOfPage": absolute(&cfg.base_url, a.path.as_str()),
            "author": authors,
            "publisher": {"@type": "Organization", "name": cfg.title},
        });
        if let Some(s) = &a.summary {
            v["description"] = s.clone().into();
        }
        if let Some(p) = photo {
            v["image"] = vec![absolute(&cfg.base_url, &p.site_path)].into();
        }
        if !a.corrections.is_empty() {
            let c = a.corrections.iter().map(|c| {
                serde_json::json!({"@type": "CorrectionComment", "text": c.text, "datePublished": c.date.to_rfc3339()})
            });
            v["correction"] = c.collect::<Vec<_>>().into();
        }
        crate::escape::json_in_script(&v)
    }

    /// Article `a`'s corrections, dated in its language.
    pub fn corrections(&self, a: &Article) -> Vec<CorrectionView> {
        let i18n = self.i18n[self.tree(&a.lang).0];
        let view = |c: &crate::load::article::Correction| CorrectionView {
            date_iso: c.date.to_rfc3339(),
            date: i18n.datetime(&c.date),
            text: c.text.clone(),
        };
        a.corrections.iter().map(view).collect()
    }

    /// The links of list page `current` (0 the first) of the list `pages`
    /// under `base`.
    pub fn pagination(&self, base: &PagePath, pages: Pages, current: usize, u: &Urls) -> Pagination {
        let link = |n: usize| u.page(&page_path(base, n));
        let Links { newer, older, window } = pages.links(current);
        Pagination {
            current,
            latest: (current > 0).then(|| link(0)),
            prev: newer.map(link),
            next: older.map(link),
            pages: window
                .into_iter()
                .map(|n| n.map(|n| PageLink { number: n, url: link(n), current: n == current }))
                .collect(),
        }
    }
}

fn section_link(tree: &LangTree, a: &Article, u: &Urls) -> LinkView {
    let s = tree.section(&a.section).expect("article's section is in its tree");
    LinkView { name: s.title.clone(), url: u.page(&s.path) }
}
