"""Drafting a claims registry from an article's text: every number becomes a proposed claim.

The stages follow the text: ``quantity`` reads a number's value, unit and precision; ``context``
finds its clause, hedge, tense and period; ``places`` names the countries; ``evidence`` picks a
catalogue entry and the computation the claim's shape implies; ``propose`` assembles the claims and
``write`` renders or merges them as YAML. Every guess carries a ``draft:`` note for the reviewer.
"""
