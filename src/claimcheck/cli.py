"""The ``claimcheck`` command line. Each subcommand is a thin shell over a function in the package."""

from __future__ import annotations

import argparse
import os
import sys

from claimcheck import __version__


def _cmd_articles(args: argparse.Namespace) -> int:
    from claimcheck.registry.articles import ArticleError, list_articles, load_article

    broken = 0
    for article_id in list_articles():
        try:
            meta = load_article(article_id).metadata
        except ArticleError as exc:  # one broken article must not hide the others
            print(f"claimcheck: {exc}", file=sys.stderr)
            broken += 1
            continue
        print(f"{article_id}\t{meta.date}\t{meta.author or ''}\t{meta.title}")
    return 1 if broken else 0


def _cmd_claims(args: argparse.Namespace) -> int:
    from claimcheck.reference.crosscheck import load_checked_article
    from claimcheck.show.tables import claims_table, write_table

    write_table(claims_table(load_checked_article(args.article)), args.format, sys.stdout)
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from claimcheck.registry.articles import load_article
    from claimcheck.registry.coverage import find_uncovered

    article = load_article(args.article)
    uncovered = find_uncovered(article)
    if not uncovered:
        print(f"{article.id}: every number is inside a claim's quote or listed under not_claims")
        return 0
    print(f"{article.id}: {len(uncovered)} number(s) neither in a claim's quote nor under not_claims:")
    for mention in uncovered:
        print(f"  line {mention.line}: {mention.text!r} in …{mention.context}…")
    return 1


def _cmd_draft(args: argparse.Namespace) -> int:
    from claimcheck.draft import parse

    try:
        # first: loading the parser is the draft's longest step, done in a worker while the command
        # imports the registry, reads the catalogue and finds the text's numbers
        parse.load_in_background()
        return _draft(args)
    finally:
        parse.stop()


def _draft(args: argparse.Namespace) -> int:
    from claimcheck.draft.propose import draft_article
    from claimcheck.draft.write import merge, render
    from claimcheck.registry.articles import load_article

    from claimcheck.draft.evidence import DraftDataError
    from claimcheck.reference.catalogue import CatalogueError

    article = load_article(args.article)
    try:
        draft = draft_article(article)
    except (DraftDataError, CatalogueError) as exc:  # the data the draft reads: one line naming the file
        print(f"claimcheck: {exc}", file=sys.stderr)
        return 2
    if args.merge:
        if not article.claims_path.is_file():
            print(f"claimcheck: {article.claims_path}: missing; --merge adds to a reviewed claims.yaml", file=sys.stderr)
            return 2
        article.claims  # validates the reviewed registry first: a broken one is reported, not merged into
        text, added = merge(article.claims_path.read_text(encoding="utf-8"), draft, article.text)
        summary = f"{len(added)} drafted claim(s) added for numbers no claim or not-claim covers"
    else:
        text = render(draft)
        summary = f"{len(draft.claims)} drafted claim(s), {len(draft.not_claims)} not-claim(s)"
    if args.write:
        from claimcheck import files

        target = article.folder / "claims.draft.yaml"
        files.write_text(target, text)  # a link planted under that name is replaced, never written through
        print(f"{article.id}: {summary}; wrote {target} (claims.yaml untouched)")
    else:
        sys.stdout.write(text)
        print(f"{article.id}: {summary}", file=sys.stderr)
    return 0


def _cmd_sources(args: argparse.Namespace) -> int:
    from claimcheck.reference.commands import sources_table
    from claimcheck.reference.snapshots import versions_table

    if args.search:
        from claimcheck.reference.search import search_command

        return search_command(args.search, args.limit)
    table = versions_table() if args.versions else sources_table()
    text = table.astype(str)  # text columns read left-aligned, as a table of names and titles should
    widths = {c: max([len(c), *map(len, text[c])]) for c in text.columns}
    print("  ".join(c.ljust(widths[c]) for c in text.columns).rstrip())
    for row in text.itertuples(index=False):
        print("  ".join(str(v).ljust(widths[c]) for v, c in zip(row, text.columns)).rstrip())
    return 0


def _cmd_catalog(args: argparse.Namespace) -> int:
    from claimcheck.reference.commands import catalog_add_command

    if args.from_key:
        from claimcheck.reference.commands import catalog_add_from_command

        return catalog_add_from_command(args.source, args.from_key, args.name, args.query, title=args.title,
                                        unit=args.unit, used_for=args.used_for, licence=args.licence)  # fmt: skip
    missing = [flag for flag, value in (("--title", args.title), ("--unit", args.unit), ("--for", args.used_for),
                                        ("NAME", args.name)) if not value]  # fmt: skip
    if missing:
        print(f"catalog add: {', '.join(missing)} required (or --from KEY, to build the entry from the source's metadata)")
        return 2
    return catalog_add_command(args.source, args.name, args.title, args.unit, args.used_for, args.query,
                               licence=args.licence, sparql=args.sparql)  # fmt: skip


def _cmd_refresh(args: argparse.Namespace) -> int:
    from claimcheck.reference.commands import refresh_command

    return refresh_command(source=args.source, snapshot=args.snapshot, everything=args.all,
                           accept_changes=args.accept_changes)


def _cmd_run(args: argparse.Namespace) -> int:
    from claimcheck.batch.runner import run_command
    from claimcheck.publish.claimreview import site_url_setting

    if args.workers is None and os.environ.get("CLAIMCHECK_WORKERS"):  # e.g. a share of a machine others use too
        try:
            args.workers = _positive(os.environ["CLAIMCHECK_WORKERS"])
        except argparse.ArgumentTypeError as exc:
            print(f"claimcheck: CLAIMCHECK_WORKERS: {exc}", file=sys.stderr)
            return 2
    if args.site_url is None:
        try:
            args.site_url = site_url_setting()  # CLAIMCHECK_SITE_URL
        except ValueError as exc:
            print(f"claimcheck: CLAIMCHECK_SITE_URL: {exc}", file=sys.stderr)
            return 2

    return run_command(args)


def _cmd_diff(args: argparse.Namespace) -> int:
    if args.snapshot:
        from claimcheck.reference.snapshots import revision_command

        return revision_command(args.snapshot, args.old, args.new)
    from claimcheck.publish.history import diff_command

    return diff_command(args)


def _article_id(text: str) -> str:
    from claimcheck.registry.article_id import ArticleError, check_article_id

    try:
        return check_article_id(text)
    except ArticleError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _iso_date(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, got {text!r}")
    return value


def _site_url(text: str) -> str:
    from claimcheck.publish.claimreview import site_url_setting

    try:
        return site_url_setting(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


ARTICLE_HELP = "article id: a folder name under data/articles/ (`claimcheck articles` lists them)"
EXAMPLE_ARTICLE = "my-article"  # the id the examples use; a test puts a real one in its place
EXAMPLES = {  # one command line per subcommand, shown at the end of its --help
    "articles": "claimcheck articles",
    "claims": f"claimcheck claims --article {EXAMPLE_ARTICLE} --format csv",
    "coverage": f"claimcheck coverage --article {EXAMPLE_ARTICLE}",
    "draft": f"claimcheck draft --article {EXAMPLE_ARTICLE} --write",
    "sources": "claimcheck sources --versions",
    "catalog": "claimcheck catalog add worldbank population --title 'Population, total' --unit people "
               "--for 'population claims' indicator=SP.POP.TOTL countries=all",
    "refresh": "claimcheck refresh --source worldbank",
    "run": f"claimcheck run --article {EXAMPLE_ARTICLE} --mode offline",
    "diff": f"claimcheck diff --article {EXAMPLE_ARTICLE}",
}


class _HelpWithExample(argparse.HelpFormatter):
    """Wraps the description as usual but prints the example line as written, so it can be copied."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("example: "):
            return indent + text
        return super()._fill_text(text, width, indent)


def _add_examples(parser: argparse.ArgumentParser, examples: dict[str, str]) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                example = examples.get(name) or examples.get(f"{parser.prog.split()[-1]} {name}")
                if example:
                    command.epilog, command.formatter_class = f"example: {example}", _HelpWithExample
                _add_examples(command, examples)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimcheck",
        description="Check the quantitative claims of an article against public reference data.",
    )
    parser.add_argument("--version", action="version", version=f"claimcheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("articles", help="list the articles", description="List the articles in data/articles/.")
    p.set_defaults(func=_cmd_articles)

    p = sub.add_parser("claims", help="list an article's claims", description="List the claims registry of an article.")
    p.add_argument("--article", required=True, type=_article_id, help=ARTICLE_HELP)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    p.set_defaults(func=_cmd_claims)

    p = sub.add_parser(
        "coverage",
        help="check that every number in the text is accounted for",
        description="Find every number or quantity expression in the article text and fail when one is "
        "neither inside a claim's quote nor listed under not_claims.",
    )
    p.add_argument("--article", required=True, type=_article_id, help=ARTICLE_HELP)
    p.set_defaults(func=_cmd_coverage)

    p = sub.add_parser(
        "draft",
        help="propose a claims registry from the article's text",
        description="Propose one claim per number of the article: quote, value, unit, comparator, period, "
        "countries, kind and evidence from the catalogue, each guess noted under draft:. Prints the "
        "registry, or writes claims.draft.yaml; claims.yaml is never overwritten.",
    )
    p.add_argument("--article", required=True, type=_article_id, help=ARTICLE_HELP)
    p.add_argument("--merge", action="store_true",
                   help="start from the reviewed claims.yaml, keep all of it, add drafts only for numbers it does not cover")
    p.add_argument("--write", action="store_true", help="write data/articles/ID/claims.draft.yaml instead of printing")
    p.set_defaults(func=_cmd_draft)

    p = sub.add_parser(
        "sources",
        help="list the reference sources and their snapshots",
        description="List each reference source with its snapshots, method (api or transcribed) and date.",
    )
    p.add_argument("--versions", action="store_true",
                   help="list every stored version of every snapshot (date published or taken, method, rows, sha256)")
    p.add_argument("--search", metavar="WORDS",
                   help="rank the catalogue's measures by their names, titles and descriptions ('government debt') and "
                        "print each one's source, snapshot, measure code, unit, grain, years, economies and an evidence: block")
    p.add_argument("--limit", type=int, default=5, help="how many entries --search prints (default 5)")
    p.set_defaults(func=_cmd_sources)

    p = sub.add_parser(
        "catalog",
        help="add an entry to the reference catalogue",
        description="Manage data/reference/catalogue/<source>.yaml, the entries every snapshot is declared in.",
    )
    catalog = p.add_subparsers(dest="catalog_command", required=True, metavar="ACTION")
    p = catalog.add_parser(
        "add",
        help="append one entry (written only if the catalogue still validates)",
        description="Append an entry to data/reference/catalogue/<source>.yaml; then fetch it with "
        "`claimcheck refresh`.",
    )
    p.add_argument("source", help="source client: worldbank, imf, comtrade, eurostat, owid or wikidata")
    p.add_argument("name", nargs="?", help="snapshot name (lower-case letters, digits, '_' or '-'); "
                   "with --from, default: the key in lower case")
    p.add_argument("query", nargs="*", metavar="KEY=VALUE",
                   help="the query in the source's terms; values are YAML ([M, X] is a list); filters.reporter=BE nests")
    p.add_argument("--from", dest="from_key", metavar="KEY",
                   help="build the entry from the source's own metadata: a World Bank indicator code (GC.DOD.TOTL.GD.ZS), "
                        "an OWID chart slug (oil-production-by-country) or an IMF series key (IMF.STA/IMTS:USA.XG_FOB_USD.G001.A); "
                        "--title, --unit, --for and KEY=VALUE pairs then override what it says")
    p.add_argument("--title", help="what the snapshot holds, in a line")
    p.add_argument("--unit", help="unit of its values (USD, EUR, people, percent, year, date, ...)")
    p.add_argument("--for", dest="used_for", help="what the snapshot is for")
    p.add_argument("--licence", help="licence, when the source file gives none or this entry differs")
    p.add_argument("--sparql", metavar="FILE", help="wikidata: a .rq file, copied beside the catalogue")
    p.set_defaults(func=_cmd_catalog)

    p = sub.add_parser(
        "refresh",
        help="fetch snapshots live and add each changed one as a new version",
        description="Fetch a source's snapshots from the live API, validate them, then add each as a new "
        "version beside the stored ones when its data changed (identical data writes nothing). A failed or "
        "invalid fetch leaves the stored versions untouched.",
    )
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--source", help="source name (see `claimcheck sources`)")
    target.add_argument("--all", action="store_true", help="refresh every source")
    p.add_argument("--snapshot", help="only this snapshot of the source")
    p.add_argument("--accept-changes", action="store_true",
                   help="store a fetch even when it is no plausible revision of the stored snapshot (lost "
                   "periods or series, shrunk, zeroed, or moved beyond a revision); the sidecar records it was forced")
    p.set_defaults(func=_cmd_refresh)

    p = sub.add_parser(
        "run",
        help="execute the check notebooks with papermill",
        description="Execute every check notebook of an article (or all articles) with papermill in "
        "parallel workers, then write verdicts.csv and verdicts.json under build/<article>/.",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--article", type=_article_id, help=ARTICLE_HELP)
    which.add_argument("--all", action="store_true", help="every article")
    p.add_argument("--mode", choices=["offline", "refresh", "auto"], default="offline",
                   help="offline: stored snapshots only; refresh: fetch live first; auto: fetch only what is "
                   "missing (default: %(default)s)")
    p.add_argument("--refresh", action="store_const", const="refresh", dest="mode", help="same as --mode refresh")
    p.add_argument("--workers", type=_positive, default=None, help="parallel workers, 1 or more (default: CLAIMCHECK_WORKERS, else one per CPU)")
    p.add_argument("--notebook", action="append", help="only this notebook (repeatable)")
    p.add_argument("--start-timeout", type=int, default=60, help="seconds for a kernel to start")
    p.add_argument("--cell-timeout", type=int, default=600, help="seconds for one cell")
    p.add_argument("--no-html", action="store_true",
                   help="skip the HTML rendering; the run is then not published (its outputs stay in build/.runs/)")
    p.add_argument("--site-url", type=_site_url, default=None, metavar="URL",
                   help="the site's public address, for ClaimReview's absolute URLs (default: $CLAIMCHECK_SITE_URL; "
                        "without either, ClaimReview is left out)")
    p.add_argument("--as-of", metavar="DATE", type=_iso_date,
                   help="read every snapshot at its newest version published on or before DATE (YYYY-MM-DD)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run the notebooks on a Dask distributed cluster (e.g. tcp://host:8786) instead of local workers")
    p.add_argument("--force", action="store_true",
                   help="execute every notebook, even those whose inputs are unchanged since the published run")
    p.add_argument("--fresh-kernels", action="store_true",
                   help="start a new kernel for every notebook instead of reusing each worker's kernel (slower)")
    p.add_argument("--publish", action="store_true",
                   help="publish a registry whose claims still carry draft: notes (by default it runs as a preview "
                        "into build/.preview/<article>/, outside the site, the history and claimcheck diff)")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "diff",
        help="report verdicts or reference values that changed between runs",
        description="Compare the last two runs in the history and list claims whose verdict or reference changed; "
        "with --snapshot, list the cells a revision changed between two versions of a snapshot.",
    )
    p.add_argument("--article", type=_article_id, help=ARTICLE_HELP + "; default: every article")
    p.add_argument("--snapshot", metavar="SOURCE/NAME", help="compare two versions of this snapshot instead")
    p.add_argument("--from", dest="old", metavar="VERSION", help="with --snapshot: the older version (default: the one before --to)")
    p.add_argument("--to", dest="new", metavar="VERSION", help="with --snapshot: the newer version (default: the newest)")
    p.set_defaults(func=_cmd_diff)
    _add_examples(parser, {**EXAMPLES, "catalog add": EXAMPLES["catalog"]})
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``claimcheck`` and ``python -m claimcheck``."""
    from claimcheck import workers

    command = "command"
    try:
        with workers.swallowed_ctrl_c_noticed():
            parser = build_parser()
            args, extra = parser.parse_known_args(argv)
            command = args.command or command
            if getattr(args, "func", None) is _cmd_catalog and all("=" in item for item in extra):
                args.query += extra  # KEY=VALUE pairs after the options (argparse takes positionals in one run)
            elif extra:
                parser.error(f"unrecognized arguments: {' '.join(extra)}")
            return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C: one line, not a traceback (a snapshot is stored whole or not at all)
        print(f"claimcheck: {command} interrupted (Ctrl-C)", file=sys.stderr)
        # A Ctrl-C landing inside an exec() of a string while a module is imported (dataclasses build
        # their methods so) was seen to end the process by SIGINT after this return (CPython 3.11:
        # status -2, not 130). The interpreter marks such an interrupt as never handled; an exec of a
        # string clears the mark first.
        exec("")
        return 130  # 128 + SIGINT, as a shell reports a process Ctrl-C ended
    except Exception as exc:
        status = _reported(exc)
        if status is None:
            raise
        return status


def _reported(exc: Exception) -> int | None:
    """Print an error a command meets in the data it reads or writes in one line and return the exit
    status; None for any other (a defect: its traceback is wanted). The error classes are imported
    only now, so that a draft's parser worker starts before the registry's modules load."""
    from claimcheck.files import UnsafeFile
    from claimcheck.reference.catalogue import CatalogueError
    from claimcheck.reference.groups import GroupError
    from claimcheck.registry.article_id import ArticleError
    from claimcheck.registry.claims import ClaimsError

    if isinstance(exc, (ArticleError, ClaimsError, CatalogueError, GroupError)):  # a groups file that does not load too
        print(f"claimcheck: {exc}", file=sys.stderr)
        return 2
    if isinstance(exc, UnsafeFile):  # a planted link or a device where a file goes: refused, never followed
        print(f"claimcheck: {exc}", file=sys.stderr)
        return 1
    if isinstance(exc, OSError) and exc.filename:  # a read-only or missing build/ or data/ folder: say which file
        print(f"claimcheck: cannot write or read {exc.filename}: {exc.strerror or exc}; make that folder writable "
              "(or point CLAIMCHECK_BUILD / CLAIMCHECK_DATA at one that is)", file=sys.stderr)
        return 1
    return None
