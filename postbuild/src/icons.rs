//! Icons rendered from the one source SVG, at the sizes the manifest declares.

use anyhow::{Context, Result, bail};
use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg;

/// The colour behind a maskable icon: the brand blue of the mark itself, so a launcher's mask
/// of any shape cuts only into plain background.
const MASKABLE_BACKGROUND: (u8, u8, u8) = (0x12, 0x35, 0x5b);

/// A maskable icon keeps its content inside the centre circle of 80 % of the size; a square
/// inscribed in that circle is 0.8 / √2 ≈ 0.566 of the size. The source mark keeps its own
/// margin (its page is 304 of 512 units, 59 %), so drawn at 0.9 the page spans 53 %: inside.
const MASKABLE_SCALE: f32 = 0.9;

/// One icon the manifest declares.
#[derive(Debug, PartialEq)]
pub struct Icon {
    pub src: String,
    pub size: u32,
    pub maskable: bool,
}

/// The square PNG icons of a web app manifest's `icons` array.
pub fn declared(manifest: &str) -> Result<Vec<Icon>> {
    let manifest: serde_json::Value = serde_json::from_str(manifest).context("manifest JSON")?;
    let Some(icons) = manifest.get("icons").and_then(|i| i.as_array()) else {
        bail!("the manifest has no icons");
    };
    icons
        .iter()
        .map(|icon| {
            let field = |name: &str| icon.get(name).and_then(|v| v.as_str()).unwrap_or("");
            let (src, sizes) = (field("src"), field("sizes"));
            let size = match sizes.split_once('x') {
                Some((w, h)) if w == h => w.parse::<u32>().ok(),
                _ => None,
            };
            match size {
                Some(size) if src.starts_with('/') && src.ends_with(".png") && size > 0 => {
                    Ok(Icon {
                        src: src.to_owned(),
                        size,
                        maskable: field("purpose").split(' ').any(|p| p == "maskable"),
                    })
                }
                _ => bail!("icon {src:?} ({sizes:?}): expected a square PNG at an absolute path"),
            }
        })
        .collect()
}

/// The source SVG as a PNG of `size` × `size` pixels; a maskable icon is drawn smaller on a
/// full-bleed background.
pub fn render(svg: &[u8], size: u32, maskable: bool) -> Result<Vec<u8>> {
    let tree = usvg::Tree::from_data(svg, &usvg::Options::default()).context("icon SVG")?;
    let mut pixmap = Pixmap::new(size, size).context("icon size")?;
    let side = size as f32;
    let content = if maskable {
        let (r, g, b) = MASKABLE_BACKGROUND;
        pixmap.fill(Color::from_rgba8(r, g, b, 255));
        side * MASKABLE_SCALE
    } else {
        side
    };
    let source = tree.size();
    let scale = content / source.width().max(source.height());
    let offset = (side - content) / 2.0;
    let transform = Transform::from_scale(scale, scale).post_translate(offset, offset);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap.encode_png().context("encoding the icon")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#ff0000"/></svg>"##;

    fn pixels(png: &[u8]) -> Pixmap {
        Pixmap::decode_png(png).expect("a PNG")
    }

    #[test]
    fn renders_at_the_declared_size() {
        let icon = pixels(&render(SVG, 48, false).expect("renders"));
        assert_eq!((icon.width(), icon.height()), (48, 48));
        let corner = icon.pixel(0, 0).expect("pixel");
        assert_eq!((corner.red(), corner.alpha()), (255, 255));
    }

    #[test]
    fn maskable_icons_keep_the_mark_in_the_safe_zone() {
        let icon = pixels(&render(SVG, 100, true).expect("renders"));
        let corner = icon.pixel(0, 0).expect("pixel");
        assert_eq!(
            (corner.red(), corner.green(), corner.blue()),
            MASKABLE_BACKGROUND
        );
        let centre = icon.pixel(50, 50).expect("pixel");
        assert_eq!((centre.red(), centre.green()), (255, 0));
    }

    #[test]
    fn reads_the_manifest_icons() {
        let manifest = r#"{"icons":[
            {"src":"/icons/a.png","sizes":"192x192","type":"image/png"},
            {"src":"/icons/b.png","sizes":"512x512","purpose":"any maskable"}]}"#;
        assert_eq!(
            declared(manifest).expect("valid"),
            vec![
                Icon {
                    src: "/icons/a.png".into(),
                    size: 192,
                    maskable: false
                },
                Icon {
                    src: "/icons/b.png".into(),
                    size: 512,
                    maskable: true
                },
            ]
        );
        for bad in [
            r#"{}"#,
            r#"{"icons":[{"src":"/a.png","sizes":"192x100"}]}"#,
            r#"{"icons":[{"src":"a.png","sizes":"192x192"}]}"#,
            r#"{"icons":[{"src":"/a.svg","sizes":"192x192"}]}"#,
        ] {
            assert!(declared(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_real_manifest_and_source_render() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let manifest = std::fs::read_to_string(format!("{root}/public/manifest.webmanifest"))
            .expect("manifest");
        let svg = std::fs::read(format!("{root}/public/icon.svg")).expect("icon");
        let icons = declared(&manifest).expect("valid manifest");
        assert!(icons.iter().any(|i| i.size == 192 && !i.maskable));
        assert!(icons.iter().any(|i| i.size == 512 && !i.maskable));
        assert!(icons.iter().any(|i| i.size == 512 && i.maskable));
        for icon in icons {
            let png = pixels(&render(&svg, icon.size, icon.maskable).expect("renders"));
            assert_eq!(png.width(), icon.size);
        }
    }
}
