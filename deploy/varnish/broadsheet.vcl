# Broadsheet's rules for Varnish 7 in front of `broadsheet-server` (with varnish-modules' xkey).
#
# Included by a site file (see site.vcl.example) that defines, before including this one:
#   backend default { … .probe = … }   the origin, with a health probe
#   acl purgers { … }                   who may purge (the origin servers, the CLI's host)
#   sub broadsheet_host { … }           sets req.http.host to the site's one public host name
#
# What it does, in order:
# - PURGE with `xkey-purge: k1 k2` from a purger drops every object tagged with those keys
#   (`broadsheet-server --purge http://this-cache/`).
# - One host name, no forwarding headers: the cache key and the origin never see a forged
#   Host, X-Forwarded-Host or Forwarded (the origin's --public-url names the site anyway).
# - Query strings: only the parameters an answer depends on are kept, sorted; pages keep none.
#   `?utm_source=…` or `?bust=123` therefore hit the same object and never multiply origin work.
# - Accept-Encoding is cut to br, gzip or nothing: the origin makes each encoding itself and
#   says `Vary: Accept-Encoding`, so there are at most three objects per address.
# - What the origin marks `public` is kept for its s-maxage; anything else (errors, 429s,
#   answers to writes, `no-store`, `no-cache`) is never kept for another client.
# - Stale copies: while the origin is healthy, for up to 30 s past freshness while a fresh copy
#   is fetched (the origin's stale-while-revalidate); while it is sick (the probe failing), for
#   as long as its stale-if-error allows (a day by default).

import std;
import xkey;

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "A purge names its keys in xkey-purge"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }

    call broadsheet_host;
    unset req.http.X-Forwarded-Host;
    unset req.http.Forwarded;

    if (req.method != "GET" && req.method != "HEAD") {
        # Posts (comments, reports, view beacons) go to the origin, never to the cache.
        return (pass);
    }
    # Nothing the site answers depends on cookies or credentials.
    unset req.http.Cookie;
    unset req.http.Authorization;

    call broadsheet_query;

    if (req.http.Accept-Encoding ~ "\bbr\b") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "\bgzip\b") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }

    if (std.healthy(req.backend_hint)) {
        # The origin's --stale-while-revalidate: past that, a reader waits for a fresh copy.
        set req.grace = 30s;
    }
    return (hash);
}

# Keeps only the query parameters each kind of address reads; sorts them.
sub broadsheet_query {
    if (req.url ~ "^/api/articles/[^/?]+/comments\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:cursor|limit)=)[^&]*(&|$)", "");
    } elsif (req.url ~ "^/api/articles\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:cursor|section|limit)=)[^&]*(&|$)", "");
    } elsif (req.url ~ "^/api/modules\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!article=)[^&]*(&|$)", "");
    } elsif (req.url ~ "^/oembed\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:url|format|maxwidth|maxheight)=)[^&]*(&|$)", "");
    } elsif (req.url ~ "^/api/(tags|authors)/[^/?]+\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:cursor|limit)=)[^&]*(&|$)", "");
    } elsif (req.url ~ "^/(tag|author)/[^/?]+\?") {
        # A tag's or an author's pages go on by ?cursor= (src/pages/listing.rs).
        set req.url = regsuball(req.url, "(?<=[?&])(?!cursor=)[^&]*(&|$)", "");
    } elsif (req.url ~ "^/(api/)?search\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:q|cursor)=)[^&]*(&|$)", "");
    } else {
        # Pages, feeds, sitemaps, robots.txt, other API reads and files: the query changes nothing.
        set req.url = regsub(req.url, "\?.*$", "");
    }
    set req.url = regsub(req.url, "[?&]+$", "");
    set req.url = std.querysort(req.url);
}

sub vcl_backend_response {
    # The keys the origin named, for xkey.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        # A refresh that failed keeps the stale copy.
        return (abandon);
    }
    if (beresp.http.Cache-Control !~ "\bpublic\b" ||
        beresp.http.Cache-Control ~ "\b(no-store|no-cache|private)\b" ||
        beresp.status != 200) {
        # Not the origin's to share: the next request goes to the origin too (hit-for-miss).
        set beresp.ttl = 10s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 30s);
    }
    # Kept a little longer still, to revalidate with the origin's ETag (a 304 instead of a body).
    set beresp.keep = 60s;
    return (deliver);
}

sub vcl_backend_error {
    # The origin is down or timed out: a clear answer the app shows as "busy", never kept.
    set beresp.http.Retry-After = "5";
    set beresp.http.Cache-Control = "no-store";
    if (bereq.url ~ "^/api/") {
        set beresp.http.Content-Type = "application/json";
        synthetic("""{"error":{"code":"unavailable","message":"The site is busy. Please try again in a moment."}}""");
    } else {
        set beresp.http.Content-Type = "text/plain; charset=utf-8";
        synthetic("The site is busy. Please try again in a moment.");
    }
    return (deliver);
}

sub vcl_deliver {
    # For operators and the tests: whether the answer came from the cache.
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for caches, not readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
