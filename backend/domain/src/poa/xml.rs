//! A small read-only tree of an XML document, enough to walk a power of
//! attorney: elements by local name (namespace prefixes dropped), their
//! attributes and their child elements. Text is checked to be well formed
//! and then dropped: nothing Mezha reads from an МЧД is element text.
//!
//! Built with quick-xml's event reader. The nodes live in one vector, so
//! neither building nor dropping the tree recurses, and the nesting depth is
//! bounded ([`MAX_DEPTH`]). A `<!DOCTYPE>` is refused: the format has none,
//! and refusing it leaves no room for entity tricks.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// Deepest element nesting accepted. An EMCHD_1 document nests about ten
/// levels deep.
pub(crate) const MAX_DEPTH: usize = 64;

/// An element of a [`Tree`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodeId(usize);

#[derive(Debug)]
struct Node {
    /// The local name: `Доверенность` for `<ns:Доверенность>`.
    name: String,
    /// Attributes by local name with their unescaped, normalised values;
    /// namespace declarations left out.
    attributes: Vec<(String, String)>,
    children: Vec<NodeId>,
}

/// A parsed document: its root element and everything under it.
#[derive(Debug)]
pub(crate) struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    /// Parses `text` as one well-formed XML document; the error says what is
    /// wrong and where (a byte offset).
    pub(crate) fn parse(text: &str) -> Result<Tree, String> {
        let mut reader = Reader::from_str(text);
        let mut nodes: Vec<Node> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        loop {
            let event = reader
                .read_event()
                .map_err(|e| format!("{e} (at byte {})", reader.error_position()))?;
            let at = reader.buffer_position();
            match event {
                Event::Start(start) => {
                    let id = add(&mut nodes, &open, &start, at)?;
                    open.push(id);
                    if open.len() > MAX_DEPTH {
                        return Err(format!(
                            "elements nest deeper than {MAX_DEPTH} levels (at byte {at})"
                        ));
                    }
                }
                Event::Empty(start) => {
                    add(&mut nodes, &open, &start, at)?;
                }
                Event::End(_) => {
                    open.pop();
                }
                Event::Text(text)
                    if open.is_empty() && !text.iter().all(u8::is_ascii_whitespace) =>
                {
                    return Err(format!("text outside the root element (at byte {at})"));
                }
                Event::CData(_) | Event::GeneralRef(_) if open.is_empty() => {
                    return Err(format!("text outside the root element (at byte {at})"));
                }
                Event::DocType(_) => {
                    return Err(format!("a DOCTYPE is not accepted (at byte {at})"));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !open.is_empty() {
            return Err("the document ends inside an element".to_owned());
        }
        if nodes.is_empty() {
            return Err("the document has no root element".to_owned());
        }
        Ok(Tree { nodes })
    }

    /// The root element.
    pub(crate) fn root(&self) -> NodeId {
        NodeId(0)
    }

    /// The element's local name.
    pub(crate) fn name(&self, id: NodeId) -> &str {
        &self.nodes[id.0].name
    }

    /// The value of the attribute `name`, trimmed; `None` when it is absent
    /// or blank.
    pub(crate) fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.nodes[id.0]
            .attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The child elements, in document order.
    pub(crate) fn elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.nodes[id.0].children.iter().copied()
    }

    /// The child elements named `name`, in document order.
    pub(crate) fn children<'a>(
        &'a self,
        id: NodeId,
        name: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.elements(id)
            .filter(move |child| self.name(*child) == name)
    }

    /// The first child element named `name`.
    pub(crate) fn child(&self, id: NodeId, name: &str) -> Option<NodeId> {
        self.children(id, name).next()
    }

    /// The first element named `name` below `id` in document order (depth
    /// first, without recursion).
    pub(crate) fn descendant(&self, id: NodeId, name: &str) -> Option<NodeId> {
        let mut pending: Vec<NodeId> = self.elements(id).collect();
        pending.reverse();
        while let Some(next) = pending.pop() {
            if self.name(next) == name {
                return Some(next);
            }
            let start = pending.len();
            pending.extend(self.elements(next));
            pending[start..].reverse();
        }
        None
    }
}

/// Adds the element `start` under the innermost open element.
fn add(
    nodes: &mut Vec<Node>,
    open: &[usize],
    start: &BytesStart<'_>,
    at: u64,
) -> Result<usize, String> {
    let parent = open.last().copied();
    if parent.is_none() && !nodes.is_empty() {
        return Err(format!("a second root element (at byte {at})"));
    }
    let name = std::str::from_utf8(start.local_name().as_ref())
        .map_err(|_| format!("an element name is not UTF-8 (at byte {at})"))?
        .to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute =
            attribute.map_err(|e| format!("{e} (in the element ending at byte {at})"))?;
        if attribute.key.as_namespace_binding().is_some() {
            continue;
        }
        let key = std::str::from_utf8(attribute.key.local_name().as_ref())
            .map_err(|_| format!("an attribute name is not UTF-8 (at byte {at})"))?
            .to_owned();
        let value = attribute
            .decoded_and_normalized_value(XmlVersion::Implicit1_0, start.decoder())
            .map_err(|e| format!("{e} (in the element ending at byte {at})"))?
            .into_owned();
        attributes.push((key, value));
    }
    let id = nodes.len();
    nodes.push(Node {
        name,
        attributes,
        children: Vec::new(),
    });
    if let Some(parent) = parent {
        nodes[parent].children.push(NodeId(id));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_elements_and_attributes_without_prefixes() {
        let tree = Tree::parse(
            r#"<?xml version="1.0"?>
            <n:a xmlns:n="urn:x" k=" v " e="" q="&lt;&amp;&quot;">
              <!-- note -->
              <n:b i="1"/><c><b i="2"><d/></b></c>text<b i="3"/>
            </n:a>"#,
        )
        .unwrap();
        let root = tree.root();
        assert_eq!(tree.name(root), "a");
        assert_eq!(tree.attr(root, "k"), Some("v"));
        assert_eq!(tree.attr(root, "e"), None);
        assert_eq!(tree.attr(root, "q"), Some("<&\""));
        assert_eq!(
            tree.attr(root, "n"),
            None,
            "namespace declarations are dropped"
        );
        let b: Vec<_> = tree.children(root, "b").collect();
        assert_eq!(b.len(), 2);
        assert_eq!(tree.attr(b[0], "i"), Some("1"));
        assert_eq!(tree.attr(b[1], "i"), Some("3"));
        let c = tree.child(root, "c").unwrap();
        assert_eq!(tree.attr(tree.descendant(c, "b").unwrap(), "i"), Some("2"));
        assert!(tree.descendant(root, "d").is_some());
        assert_eq!(tree.descendant(root, "z"), None);
        // Depth first, in document order.
        assert_eq!(
            tree.attr(tree.descendant(root, "b").unwrap(), "i"),
            Some("1")
        );
    }

    #[test]
    fn refuses_what_is_not_one_well_formed_document() {
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        for bad in [
            "",
            "   ",
            "text",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<a/>tail",
            "tail<a/>",
            "<a x='1' x='2'/>",
            "<a x=1/>",
            "<a x='&unknown;'/>",
            "<!DOCTYPE a [<!ENTITY e 'x'>]><a/>",
            "<a><b></a></b>",
            deep.as_str(),
        ] {
            assert!(Tree::parse(bad).is_err(), "{bad:?}");
        }
        let deepest = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(Tree::parse(&deepest).is_ok());
    }
}
