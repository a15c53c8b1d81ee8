"""French and German for password reset, address verification, the stored language and the
e-mail templates (see translations_fr_de.py for how the table is used)."""

from __future__ import annotations

T: dict[str, tuple[object, object]] = {
    "A link was sent several times in the last hour: look for it in your mailbox, or try again later.": (
        "Un lien a été envoyé plusieurs fois au cours de la dernière heure : cherchez-le dans votre boîte de réception, ou réessayez plus tard.",
        "In der letzten Stunde wurde mehrmals ein Link gesendet: Suchen Sie ihn in Ihrem Postfach oder versuchen Sie es später erneut.",
    ),
    "Ask for a new link": ("Demander un nouveau lien", "Einen neuen Link anfordern"),
    "At least 10 characters; a few words you can remember are best.": (
        "Au moins 10 caractères ; quelques mots dont vous vous souviendrez sont l’idéal.",
        "Mindestens 10 Zeichen; am besten einige Wörter, die Sie sich merken können.",
    ),
    "Back to sign in": ("Retour à la connexion", "Zurück zur Anmeldung"),
    "Choose a new password": ("Choisir un nouveau mot de passe", "Ein neues Passwort wählen"),
    "Choose a new password:": ("Choisir un nouveau mot de passe :", "Ein neues Passwort wählen:"),
    "Confirm my address": ("Confirmer mon adresse", "Meine Adresse bestätigen"),
    "Confirm my address:": ("Confirmer mon adresse :", "Meine Adresse bestätigen:"),
    "Confirm that %(email)s is your address for ICC Marketplace.": (
        "Confirmez que %(email)s est votre adresse pour ICC Marketplace.",
        "Bestätigen Sie, dass %(email)s Ihre Adresse für ICC Marketplace ist.",
    ),
    "Confirm your address": ("Confirmez votre adresse", "Bestätigen Sie Ihre Adresse"),
    "Confirm your e-mail address for ICC Marketplace": (
        "Confirmez votre adresse e-mail pour ICC Marketplace",
        "Bestätigen Sie Ihre E-Mail-Adresse für ICC Marketplace",
    ),
    "Email address": ("Adresse e-mail", "E-Mail-Adresse"),
    "Forgot your password?": ("Mot de passe oublié ?", "Passwort vergessen?"),
    "Give the e-mail address of your account: we will send you a link to choose a new password.": (
        "Indiquez l’adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.",
        "Geben Sie die E-Mail-Adresse Ihres Kontos an: Wir senden Ihnen einen Link, um ein neues Passwort zu wählen.",
    ),
    "Go to your account to send a new link": (
        "Aller à votre compte pour envoyer un nouveau lien",
        "Zu Ihrem Konto, um einen neuen Link zu senden",
    ),
    "Hello %(name)s,": ("Bonjour %(name)s,", "Hallo %(name)s,"),
    "If an account uses %(email)s, we sent a link to it to choose a new password.": (
        "Si un compte utilise %(email)s, nous y avons envoyé un lien pour choisir un nouveau mot de passe.",
        "Falls ein Konto %(email)s verwendet, haben wir dorthin einen Link gesendet, um ein neues Passwort zu wählen.",
    ),
    "If you did not ask for this, ignore this e-mail: your password stays as it is.": (
        "Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe reste inchangé.",
        "Wenn Sie dies nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.",
    ),
    "If you did not create an account, ignore this e-mail.": (
        "Si vous n’avez pas créé de compte, ignorez cet e-mail.",
        "Wenn Sie kein Konto angelegt haben, ignorieren Sie diese E-Mail.",
    ),
    "Language of pages and e-mail": (
        "Langue des pages et des e-mails",
        "Sprache der Seiten und E-Mails",
    ),
    "New password": ("Nouveau mot de passe", "Neues Passwort"),
    "Open in ICC Marketplace": ("Ouvrir dans ICC Marketplace", "In ICC Marketplace öffnen"),
    "Open:": ("Ouvrir :", "Öffnen:"),
    "Pages and e-mail are now in %(language)s.": (
        "Les pages et les e-mails sont désormais en %(language)s.",
        "Seiten und E-Mails sind jetzt auf %(language)s.",
    ),
    "Please confirm that %(email)s is your address for ICC Marketplace.": (
        "Merci de confirmer que %(email)s est votre adresse pour ICC Marketplace.",
        "Bitte bestätigen Sie, dass %(email)s Ihre Adresse für ICC Marketplace ist.",
    ),
    "Preferences": ("Préférences", "Einstellungen"),
    "Preferences:": ("Préférences :", "Einstellungen:"),
    "Reset your ICC Marketplace password": (
        "Réinitialisez votre mot de passe ICC Marketplace",
        "Setzen Sie Ihr ICC-Marketplace-Passwort zurück",
    ),
    "Reset your password": ("Réinitialiser votre mot de passe", "Passwort zurücksetzen"),
    "Save the language": ("Enregistrer la langue", "Sprache speichern"),
    "Send me a link": ("M’envoyer un lien", "Link senden"),
    "Send the link again": ("Renvoyer le lien", "Link erneut senden"),
    "Set the new password": ("Enregistrer le nouveau mot de passe", "Neues Passwort festlegen"),
    "Setting a new password signs you out everywhere else.": (
        "Choisir un nouveau mot de passe vous déconnecte partout ailleurs.",
        "Ein neues Passwort meldet Sie überall sonst ab.",
    ),
    "Sign in to see whether your address is verified, or to send a new link.": (
        "Connectez-vous pour voir si votre adresse est vérifiée, ou pour envoyer un nouveau lien.",
        "Melden Sie sich an, um zu sehen, ob Ihre Adresse bestätigt ist, oder um einen neuen Link zu senden.",
    ),
    "Someone, probably you, asked to reset the password of your ICC Marketplace account.": (
        "Quelqu’un, probablement vous, a demandé à réinitialiser le mot de passe de votre compte ICC Marketplace.",
        "Jemand, vermutlich Sie, hat das Zurücksetzen des Passworts Ihres ICC-Marketplace-Kontos angefordert.",
    ),
    "Thank you: %(email)s is verified.": (
        "Merci : %(email)s est vérifiée.",
        "Danke: %(email)s ist bestätigt.",
    ),
    "The link works once, for a limited time. Nothing came? Look in your spam folder, or ask again in a few minutes.": (
        "Le lien fonctionne une fois, pendant une durée limitée. Rien reçu ? Regardez dans vos indésirables, ou redemandez dans quelques minutes.",
        "Der Link funktioniert einmal und nur für begrenzte Zeit. Nichts angekommen? Sehen Sie im Spam-Ordner nach oder fragen Sie in einigen Minuten erneut.",
    ),
    "The link works once, until %(time)s (UTC).": (
        "Le lien fonctionne une fois, jusqu’au %(time)s (UTC).",
        "Der Link funktioniert einmal, bis %(time)s (UTC).",
    ),
    "This link cannot be used": ("Ce lien ne peut pas être utilisé", "Dieser Link kann nicht verwendet werden"),
    "This link has expired.": ("Ce lien a expiré.", "Dieser Link ist abgelaufen."),
    "This link is not valid: it may have been copied incompletely.": (
        "Ce lien n’est pas valide : il a peut-être été copié incomplètement.",
        "Dieser Link ist ungültig: Vielleicht wurde er unvollständig kopiert.",
    ),
    "This link was used already: each link works once.": (
        "Ce lien a déjà été utilisé : chaque lien ne fonctionne qu’une fois.",
        "Dieser Link wurde bereits verwendet: Jeder Link funktioniert nur einmal.",
    ),
    "Unsubscribe from these e-mails": ("Se désabonner de ces e-mails", "Diese E-Mails abbestellen"),
    "Unsubscribe from these e-mails:": (
        "Se désabonner de ces e-mails :",
        "Diese E-Mails abbestellen:",
    ),
    "We sent a link to %(email)s: follow it to verify your address.": (
        "Nous avons envoyé un lien à %(email)s : suivez-le pour vérifier votre adresse.",
        "Wir haben einen Link an %(email)s gesendet: Folgen Sie ihm, um Ihre Adresse zu bestätigen.",
    ),
    "We sent a link to your address when you signed up. Follow it to verify the address.": (
        "Nous avons envoyé un lien à votre adresse lors de votre inscription. Suivez-le pour vérifier l’adresse.",
        "Wir haben bei Ihrer Registrierung einen Link an Ihre Adresse gesendet. Folgen Sie ihm, um die Adresse zu bestätigen.",
    ),
    "We sent a new link to %(email)s.": (
        "Nous avons envoyé un nouveau lien à %(email)s.",
        "Wir haben einen neuen Link an %(email)s gesendet.",
    ),
    "You receive this because of your ICC Marketplace notifications (%(kind)s).": (
        "Vous recevez ce message en raison de vos notifications ICC Marketplace (%(kind)s).",
        "Sie erhalten diese Nachricht wegen Ihrer ICC-Marketplace-Benachrichtigungen (%(kind)s).",
    ),
    "Your address is verified already.": (
        "Votre adresse est déjà vérifiée.",
        "Ihre Adresse ist bereits bestätigt.",
    ),
    "Your daily ICC Marketplace digest: %(n)s new": (
        "Votre résumé quotidien ICC Marketplace : %(n)s nouveautés",
        "Ihre tägliche ICC-Marketplace-Übersicht: %(n)s neu",
    ),
    "Your daily digest: %(num)s new notification.": (
        (
            "Votre résumé quotidien : %(num)s nouvelle notification.",
            "Votre résumé quotidien : %(num)s nouvelles notifications.",
        ),
        (
            "Ihre tägliche Übersicht: %(num)s neue Benachrichtigung.",
            "Ihre tägliche Übersicht: %(num)s neue Benachrichtigungen.",
        ),
    ),
    "Your password was changed. Sign in with your new password.": (
        "Votre mot de passe a été changé. Connectez-vous avec le nouveau.",
        "Ihr Passwort wurde geändert. Melden Sie sich mit dem neuen an.",
    ),
}  # fmt: skip
