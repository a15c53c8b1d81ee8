"""French and German for the pictures (issue 19): a tender's timeline, a city's tenders by
stage, a funding call's funding sought, offered and accepted, and spend and funding sought by
theme, with the tables behind them. Same shape as `translations_fr_de.py`; `build.py` merges
every `translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German); plural msgids map to ((fr singular, fr plural), (de ...)).
T: dict[str, tuple[object, object]] = {
    # --- plurals
    "%(num)d tender in all:": (("%(num)d appel d’offres en tout :", "%(num)d appels d’offres en tout :"), ("%(num)d Ausschreibung insgesamt:", "%(num)d Ausschreibungen insgesamt:")),
    # --- every picture
    "Show as table": ("Afficher sous forme de tableau", "Als Tabelle anzeigen"),
    # --- a tender's timeline
    "Timeline of the tender": ("Calendrier de l’appel d’offres", "Zeitplan der Ausschreibung"),
    "Today (%(date)s)": ("Aujourd’hui (%(date)s)", "Heute (%(date)s)"),
    "Stage: %(stage)s. %(steps)s. Today is %(today)s.": ("Étape : %(stage)s. %(steps)s. Nous sommes le %(today)s.", "Phase: %(stage)s. %(steps)s. Heute ist der %(today)s."),
    "Step": ("Étape", "Schritt"),
    "State": ("État", "Stand"),
    "Publication": ("Publication", "Veröffentlichung"),
    "Award": ("Attribution", "Zuschlag"),
    "Declared unsuccessful": ("Déclaré infructueux", "Für erfolglos erklärt"),
    "Done": ("Fait", "Erledigt"),
    "Passed": ("Échue", "Abgelaufen"),
    "Not yet": ("Pas encore", "Noch nicht"),
    "No date set": ("Aucune date fixée", "Kein Datum festgelegt"),
    "No longer applies: the tender was cancelled": ("Ne s’applique plus : l’appel d’offres a été annulé", "Gilt nicht mehr: Die Ausschreibung wurde abgebrochen"),
    "The tender has ended": ("L’appel d’offres est terminé", "Die Ausschreibung ist beendet"),
    "After publication, once responses close": ("Après la publication, une fois les réponses closes", "Nach der Veröffentlichung, wenn die Angebotsfrist abgelaufen ist"),
    "After responses close": ("Après la clôture des réponses", "Nach Ende der Angebotsfrist"),
    "The responses are being evaluated": ("Les réponses sont en cours d’évaluation", "Die Angebote werden bewertet"),
    # --- a call's funding
    "Funding sought, offered and accepted": ("Financement recherché, proposé et accepté", "Gesuchte, angebotene und angenommene Finanzierung"),
    "Funding": ("Financement", "Finanzierung"),
    "Sought: %(amount)s.": ("Recherché : %(amount)s.", "Gesucht: %(amount)s."),
    "Offered by funders (pending and accepted): %(amount)s.": ("Proposé par les financeurs (offres en attente et acceptées) : %(amount)s.", "Von Geldgebern angeboten (offene und angenommene Angebote): %(amount)s."),
    "Accepted: %(amount)s, %(share)s of the amount sought.": ("Accepté : %(amount)s, soit %(share)s du montant recherché.", "Angenommen: %(amount)s, %(share)s des gesuchten Betrags."),
    "Oversubscribed: funders offer more than the call seeks.": ("Sursouscrit : les financeurs proposent plus que ce que l’appel recherche.", "Überzeichnet: Die Geldgeber bieten mehr, als der Aufruf sucht."),
    "Fully funded.": ("Entièrement financé.", "Vollständig finanziert."),
    # --- spend and funding sought by theme
    "Spend and funding sought by theme": ("Dépenses et financement recherché par thème", "Ausgaben und gesuchte Finanzierung nach Thema"),
    "Tenders (estimated value)": ("Appels d’offres (valeur estimée)", "Ausschreibungen (geschätzter Wert)"),
    "Funding sought": ("Financement recherché", "Gesuchte Finanzierung"),
    "In %(currency)s, per theme: %(figures)s. Published tenders that are not cancelled or unsuccessful, and published funding calls; one with several themes counts in each.": ("En %(currency)s, par thème : %(figures)s. Appels d’offres publiés, ni annulés ni infructueux, et appels à financement publiés ; un appel à plusieurs thèmes compte dans chacun.", "In %(currency)s, nach Thema: %(figures)s. Veröffentlichte Ausschreibungen, die weder abgebrochen noch erfolglos sind, und veröffentlichte Finanzierungsaufrufe; wer mehrere Themen hat, zählt in jedem."),
    "Estimated value of your published tenders (not cancelled or unsuccessful) and the amount your published funding calls seek. A tender or call with several themes counts in each.": ("Valeur estimée de vos appels d’offres publiés (ni annulés ni infructueux) et montant que recherchent vos appels à financement publiés. Un appel à plusieurs thèmes compte dans chacun.", "Geschätzter Wert Ihrer veröffentlichten Ausschreibungen (weder abgebrochen noch erfolglos) und der Betrag, den Ihre veröffentlichten Finanzierungsaufrufe suchen. Eine Ausschreibung oder ein Aufruf mit mehreren Themen zählt in jedem."),
}  # fmt: skip
