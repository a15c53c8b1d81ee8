"""French and German for the pickers (CPV codes, NUTS regions, countries, currencies, a
response's listing, a call's related tenders). Same shape as `translations_fr_de.py`;
`build.py` merges every `translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German); plural msgids map to ((fr singular, fr plural), (de ...)).
T: dict[str, tuple[object, object]] = {
    # --- plurals
    "The call also names %(num)s tender you cannot see; it stays.": (
        ("L’appel cite aussi %(num)s appel d’offres que vous ne pouvez pas voir ; il reste cité.",
         "L’appel cite aussi %(num)s appels d’offres que vous ne pouvez pas voir ; ils restent cités."),
        ("Der Aufruf nennt außerdem %(num)s Ausschreibung, die Sie nicht sehen können; sie bleibt genannt.",
         "Der Aufruf nennt außerdem %(num)s Ausschreibungen, die Sie nicht sehen können; sie bleiben genannt."),
    ),
    # --- the code pickers
    "Find": ("Chercher", "Suchen"),
    "Chosen: %(field)s": ("Choisis : %(field)s", "Ausgewählt: %(field)s"),
    "Find regions by code or words": ("Chercher des régions par code ou par mots", "Regionen nach Code oder Wörtern suchen"),
    "Find a region by code or words": ("Chercher une région par code ou par mots", "Eine Region nach Code oder Wörtern suchen"),
    "Tick the ones you want from the list. Codes typed here are added when you save.": (
        "Cochez ceux que vous voulez dans la liste. Les codes saisis ici sont ajoutés à l’enregistrement.",
        "Kreuzen Sie die gewünschten in der Liste an. Hier eingegebene Codes werden beim Speichern hinzugefügt.",
    ),
    "Choose one from the list. A code typed here is taken when you save.": (
        "Choisissez-en une dans la liste. Un code saisi ici est retenu à l’enregistrement.",
        "Wählen Sie eine aus der Liste. Ein hier eingegebener Code wird beim Speichern übernommen.",
    ),
    "No region matches “%(q)s”.": ("Aucune région ne correspond à « %(q)s ».", "Keine Region passt zu „%(q)s“."),
    "The first %(shown)s of %(total)s are shown: add words to narrow the list.": (
        "Les %(shown)s premiers sur %(total)s sont affichés : ajoutez des mots pour réduire la liste.",
        "Die ersten %(shown)s von %(total)s werden gezeigt: Fügen Sie Wörter hinzu, um die Liste einzugrenzen.",
    ),
    "(not a NUTS region)": ("(pas une région NUTS)", "(keine NUTS-Region)"),
    "What is bought, as the CPV names it. The first is the main code.": (
        "Ce qui est acheté, tel que le CPV le nomme. Le premier est le code principal.",
        "Was beschafft wird, wie das CPV es benennt. Der erste ist der Hauptcode.",
    ),
    "NUTS regions, e.g. %(example)s; a region includes its sub-regions.": (
        "Régions NUTS, par ex. %(example)s ; une région comprend ses sous-régions.",
        "NUTS-Regionen, z. B. %(example)s; eine Region umfasst ihre Teilregionen.",
    ),
    "A region includes all its sub-regions, e.g. %(example)s.": (
        "Une région comprend toutes ses sous-régions, par ex. %(example)s.",
        "Eine Region umfasst alle ihre Teilregionen, z. B. %(example)s.",
    ),
    "Your region, e.g. Helsinki-Uusimaa (FI1B1) or Comunidad de Madrid (ES300).": (
        "Votre région, par ex. Helsinki-Uusimaa (FI1B1) ou Comunidad de Madrid (ES300).",
        "Ihre Region, z. B. Helsinki-Uusimaa (FI1B1) oder Comunidad de Madrid (ES300).",
    ),
    "CPV codes of lot %(n)s": ("Codes CPV du lot %(n)s", "CPV-Codes von Los %(n)s"),
    "Places of lot %(n)s": ("Lieux d’exécution du lot %(n)s", "Erfüllungsorte von Los %(n)s"),
    "Places of this lot": ("Lieux d’exécution de ce lot", "Erfüllungsorte dieses Loses"),
    # --- countries and currencies
    "EU and EEA countries": ("Pays de l’UE et de l’EEE", "Länder der EU und des EWR"),
    "Other countries": ("Autres pays", "Andere Länder"),
    "None means anywhere.": ("Aucun coché : partout.", "Keins angekreuzt: überall."),
    "The euro and other European currencies": ("L’euro et les autres monnaies européennes", "Der Euro und die anderen europäischen Währungen"),
    "Other currencies": ("Autres monnaies", "Andere Währungen"),
    # --- choosing by title
    "Your SME has no published listing yet.": ("Votre PME n’a pas encore d’offre publiée.", "Ihr KMU hat noch kein veröffentlichtes Angebot."),
    "The tenders of the call’s cities that the funding would pay for.": (
        "Les appels d’offres des villes de l’appel que le financement paierait.",
        "Die Ausschreibungen der Städte des Aufrufs, die die Finanzierung bezahlen würde.",
    ),
    "None of the call’s cities buys in a tender you can see yet.": (
        "Aucune des villes de l’appel n’achète encore dans un appel d’offres que vous pouvez voir.",
        "Noch keine Stadt des Aufrufs beschafft in einer Ausschreibung, die Sie sehen können.",
    ),
}  # fmt: skip
