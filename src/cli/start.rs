//! Starting and growing a site: `sitegen init` makes one that builds, and
//! `sitegen new` writes an article with its front matter filled in, held
//! back as a draft until the writer says otherwise.

use super::args::{InitArgs, NewArgs};
use crate::load::config::{BuildOptions, Config};
use std::path::Path;

/// `sitegen init`: a working site in an empty (or new) folder.
pub(super) fn init(args: &InitArgs) -> crate::Result<()> {
    let dir = &args.dir;
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| crate::Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(crate::Error::Options(format!(
                "{}: not empty; sitegen init makes a new site in an empty or new folder, and never writes over files",
                dir.display()
            )));
        }
    }
    let files: Vec<(String, Vec<u8>)> = if args.sample {
        super::sample::FILES.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect()
    } else {
        minimal(&args.languages)?
    };
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        crate::fs::write(&path, bytes)?;
    }
    let what = if args.sample { "the sample site (The Meridian)" } else { "a new site" };
    println!("Made {what} in {} ({} files).", dir.display(), files.len());
    let cd = if dir == Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
    println!("Next: edit site.yaml (title, base_url), then {cd}sitegen new news/my-first-story && sitegen serve");
    Ok(())
}

/// The files of a minimal site in `languages` (the first the default).
fn minimal(languages: &[String]) -> crate::Result<Vec<(String, Vec<u8>)>> {
    let codes: Vec<&str> = languages.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    let Some(&default) = codes.first() else {
        return Err(crate::Error::Options("--languages: name at least one language, like `en` or `en,ru`".into()));
    };
    if let Some(bad) = codes.iter().find(|c| !c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-')) {
        return Err(crate::Error::Options(format!("--languages: `{bad}` is not a language code like `en` or `ru`")));
    }
    let mut yaml = String::from(
        "# The site's settings: see the README's `site.yaml` section for every key.\n\
         title: \"My News Site\"\n\
         # The primary address: canonical links, feeds and the sitemap use it.\n\
         base_url: \"https://news.example\"\n",
    );
    yaml.push_str(&format!("default_language: {default}\nlanguages:\n"));
    for code in &codes {
        yaml.push_str(&format!(
            "  {code}:\n    title: \"My News Site\"\n\
             \x20   # newsletter: {{title: \"…\", text: \"…\", action: \"https://lists.example/subscribe\", button: \"…\"}}\n\
             \x20   # donate: {{title: \"…\", text: \"…\", url: \"https://support.example/\", button: \"…\"}}\n"
        ));
    }
    yaml.push_str(
        "# Other addresses readers can reach the site at (see docs/deploying.md):\n\
         # mirrors:\n\
         #   - {url: \"http://….onion\", name: onion, stable: true}\n\
         # mirrors_file: mirrors.yaml\n\
         # page_budget_kb: 14\n",
    );
    let today = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    let welcome = format!(
        "---\ntitle: \"Welcome\"\ndate: {today}\nauthors: []\ntags: []\nsummary: \"The first story of the site.\"\n---\n\
         This is the site's first story. Write stories in `content/<section>/` as\n\
         Markdown with front matter like this one's; `sitegen new news/my-story`\n\
         starts one for you.\n"
    );
    let mut files =
        vec![("site.yaml".into(), yaml.into_bytes()), ("content/news/welcome.md".into(), welcome.into_bytes())];
    for code in &codes {
        let name = if *code == default {
            "content/pages/about.md".to_string()
        } else {
            format!("content/pages/about.{code}.md")
        };
        files.push((name, about_page(code).into_bytes()));
    }
    Ok(files)
}

/// The About page of a new site in language `code`, linked from the footer.
fn about_page(code: &str) -> String {
    let (title, text) = match code {
        "ru" => (
            "О нас",
            "Расскажите читателям, кто вы, на что живёт редакция и как с вами\n\
             связаться безопасно. Эта страница — `content/pages/about.ru.md`;\n\
             страницы из `content/pages/` не попадают в ленты и списки статей.\n",
        ),
        _ => (
            "About",
            "Tell readers who you are, how the newsroom is funded and how to reach\n\
             you safely. This page is `content/pages/about.md`; pages in\n\
             `content/pages/` stay out of feeds and article lists.\n",
        ),
    };
    format!("---\ntitle: \"{title}\"\n# footer or header: the menu that links this page on every page\nmenu: footer\nweight: 1\n---\n{text}")
}

/// `sitegen new SECTION/SLUG`: an article with its front matter filled in,
/// a draft until the writer removes `draft: true`.
pub(super) fn new(args: &NewArgs) -> crate::Result<()> {
    let opts = BuildOptions { root: args.root.root.clone(), ..BuildOptions::default() };
    let (cfg, _) = Config::load(&opts)?;
    let (section, slug) = parse_path(&args.path)?;
    let lang = args.lang.clone().unwrap_or_else(|| cfg.default_language().to_string());
    if cfg.language(&lang).is_none() {
        let codes: Vec<&str> = cfg.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(crate::Error::Options(format!(
            "--lang {lang}: site.yaml has no such language (languages: {})",
            codes.join(", ")
        )));
    }
    let suffix = if lang == cfg.default_language() { String::new() } else { format!(".{lang}") };
    let rel = match args.bundle {
        true => format!("content/{section}/{slug}/index{suffix}.md"),
        false => format!("content/{section}/{slug}{suffix}.md"),
    };
    let path = args.root.at(Path::new(&rel));
    if path.exists() {
        return Err(crate::Error::Options(format!("{}: exists; sitegen new never writes over a file", path.display())));
    }
    let title = title_of(slug);
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    // The language is read from `lang:`; the file name's `.ru` only
    // keeps the editions of a story side by side.
    let lang_line = if suffix.is_empty() { String::new() } else { format!("lang: {lang}\n") };
    let text = format!(
        "---\ntitle: \"{title}\"\n{lang_line}date: {now}\nauthors: []\ntags: []\nsummary: \"\"\n\
         # Held back from `sitegen build` until you remove this line.\ndraft: true\n---\n\
         The story starts here.\n"
    );
    if let Some(parent) = path.parent() {
        crate::fs::create_dir_all(parent)?;
    }
    let mut f =
        std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| crate::Error::io(&path, e))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| crate::Error::io(&path, e))?;
    println!(
        "Wrote {} (a draft: `sitegen serve` shows it; `sitegen build` leaves it out until you remove `draft: true`)",
        path.display()
    );
    Ok(())
}

/// `news/my-story` → (`news`, `my-story`), each a plain slug.
fn parse_path(path: &str) -> crate::Result<(&str, &str)> {
    let bad = || {
        crate::Error::Options(format!(
            "`{path}`: give the section and a slug of lowercase letters, digits and dashes, like `news/court-hearing`"
        ))
    };
    let (section, slug) = path.trim_matches('/').split_once('/').ok_or_else(bad)?;
    let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok(section) || !ok(slug) {
        return Err(bad());
    }
    Ok((section, slug))
}

/// `court-hearing-in-moscow` → `Court hearing in moscow`.
fn title_of(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_a_section_and_a_slug() {
        assert_eq!(parse_path("news/court-hearing").unwrap(), ("news", "court-hearing"));
        for bad in ["news", "news/", "../etc/x", "news/My Story", "a/b/c", "/news/x/../y"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
        assert_eq!(title_of("court-hearing-2"), "Court hearing 2");
    }

    #[test]
    fn a_minimal_site_has_every_language_asked_for() {
        let files = minimal(&["ru".into(), "en".into()]).unwrap();
        let yaml = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(yaml.contains("default_language: ru\nlanguages:\n  ru:\n") && yaml.contains("\n  en:\n"), "{yaml}");
        assert!(minimal(&["EN".into()]).is_err() && minimal(&[]).is_err());
    }
}
