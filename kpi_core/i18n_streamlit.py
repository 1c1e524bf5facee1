"""Streamlit's own interface strings (written in English in its JavaScript) and their French: the page script
(`ui/page.js`) swaps them in the browser in French and back in English. `{n}` stands for a number."""

from __future__ import annotations

STREAMLIT_FRENCH: tuple[tuple[str, str], ...] = (
    ("Skip to main content", "Aller au contenu principal"),
    # File uploader
    ("Upload", "Parcourir"),
    ("Drag and drop files here", "Glissez-déposez vos fichiers ici"),
    ("Drag and drop a file here", "Glissez-déposez un fichier ici"),
    ("{n}KB per file", "{n} Ko par fichier"),
    ("{n}MB per file", "{n} Mo par fichier"),
    ("{n}GB per file", "{n} Go par fichier"),
    ("file upload", "choix de fichiers"),
    # Select boxes
    ("Select all", "Tout sélectionner"),
    ("Select {n} matches", "Sélectionner les {n} résultats"),
    ("Choose an option", "Choisissez une option"),
    ("Choose options", "Choisissez des options"),
    ("No results", "Aucun résultat"),
    ("Clear all", "Tout effacer"),
    # Tables and charts
    ("Show/hide columns", "Afficher/masquer des colonnes"),
    ("Search", "Rechercher"),
    ("Fullscreen", "Plein écran"),
    ("Close fullscreen", "Quitter le plein écran"),
    ("Sort ascending", "Trier par ordre croissant"),
    ("Sort descending", "Trier par ordre décroissant"),
    ("Pin column", "Épingler la colonne"),
    ("Unpin column", "Détacher la colonne"),
    ("Hide column", "Masquer la colonne"),
    ("Autosize", "Ajuster la largeur"),
    ("Format", "Format"),
    ("Copy to clipboard", "Copier"),
    ("Clear selection", "Effacer la sélection"),
    ("Close", "Fermer"),
    ("Delete", "Supprimer"),
    # App menu and status
    ("Main menu", "Menu principal"),
    ("Rerun", "Relancer"),
    ("Settings", "Paramètres"),
    ("Print", "Imprimer"),
    ("Clear cache", "Vider le cache"),
    ("About", "À propos"),
    ("Running...", "Calcul en cours…"),
    ("Stop", "Arrêter"),
    ("Connecting", "Connexion"),
)
