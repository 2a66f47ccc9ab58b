//! A small XML tree for tests: parse with quick-xml (which rejects what is not well-formed),
//! then walk. Used to read back HTML (as XHTML), WordprocessingML and OpenDocument.

use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub enum Node {
    Elem(Elem),
    Text(String),
}

#[derive(Debug, Clone, Default)]
pub struct Elem {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    pub children: Vec<Node>,
}

impl Elem {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    /// Every element below (and including) this one, in document order.
    pub fn descendants(&self) -> Vec<&Elem> {
        let mut out = vec![self];
        for c in &self.children {
            if let Node::Elem(e) = c {
                out.extend(e.descendants());
            }
        }
        out
    }

    pub fn find_all(&self, name: &str) -> Vec<&Elem> {
        self.descendants()
            .into_iter()
            .filter(|e| e.name == name)
            .collect()
    }

    pub fn find(&self, name: &str) -> Option<&Elem> {
        self.descendants().into_iter().find(|e| e.name == name)
    }

    /// All text below this element.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => s.push_str(t),
                Node::Elem(e) => s.push_str(&e.text()),
            }
        }
        s
    }
}

/// Parse a document; an error for anything that is not well-formed (unclosed or mismatched
/// tags, bad entities, more than one root).
pub fn parse(src: &str) -> Result<Elem, String> {
    let mut r = Reader::from_str(src);
    r.config_mut().check_end_names = true;
    let mut stack: Vec<Elem> = vec![Elem {
        name: "#document".into(),
        ..Default::default()
    }];
    loop {
        let ev = r
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", r.buffer_position()))?;
        match ev {
            Event::Start(s) => {
                stack.push(elem(&s)?);
            }
            Event::Empty(s) => {
                let e = elem(&s)?;
                stack
                    .last_mut()
                    .ok_or("no parent")?
                    .children
                    .push(Node::Elem(e));
            }
            Event::End(_) => {
                let e = stack.pop().ok_or("unbalanced end tag")?;
                if stack.is_empty() {
                    return Err("unbalanced end tag".into());
                }
                stack.last_mut().unwrap().children.push(Node::Elem(e));
            }
            Event::Text(t) => {
                let s = t.xml10_content().map_err(|e| e.to_string())?.into_owned();
                push_text(stack.last_mut().unwrap(), s);
            }
            Event::CData(t) => {
                let s = String::from_utf8_lossy(&t.into_inner()).into_owned();
                push_text(stack.last_mut().unwrap(), s);
            }
            Event::GeneralRef(g) => {
                let name = g.decode().map_err(|e| e.to_string())?.into_owned();
                let s = quick_xml::escape::unescape(&format!("&{name};"))
                    .map_err(|e| format!("entity &{name};: {e}"))?
                    .into_owned();
                push_text(stack.last_mut().unwrap(), s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(format!("{} element(s) left open", stack.len() - 1));
    }
    let doc = stack.pop().unwrap();
    let roots: Vec<&Elem> = doc
        .children
        .iter()
        .filter_map(|c| match c {
            Node::Elem(e) => Some(e),
            Node::Text(_) => None,
        })
        .collect();
    if roots.len() != 1 {
        return Err(format!("{} root elements", roots.len()));
    }
    Ok(roots[0].clone())
}

fn push_text(e: &mut Elem, s: String) {
    if let Some(Node::Text(t)) = e.children.last_mut() {
        t.push_str(&s);
    } else {
        e.children.push(Node::Text(s));
    }
}

fn elem(s: &quick_xml::events::BytesStart) -> Result<Elem, String> {
    let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
    let mut attrs = BTreeMap::new();
    for a in s.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let k = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let v = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
            .into_owned();
        if attrs.insert(k.clone(), v).is_some() {
            return Err(format!("attribute {k} twice on <{name}>"));
        }
    }
    Ok(Elem {
        name,
        attrs,
        children: Vec::new(),
    })
}

/// The entries of a zip archive, by name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        out.insert(f.name().to_string(), buf);
    }
    out
}
