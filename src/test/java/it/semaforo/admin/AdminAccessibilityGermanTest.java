package it.semaforo.admin;

/** The clerks' pages under axe, at 1280 and 360 px, in German (see AdminAccessibility). */
class AdminAccessibilityGermanTest extends AdminAccessibility {
    @Override
    String language() {
        return "de";
    }
}
