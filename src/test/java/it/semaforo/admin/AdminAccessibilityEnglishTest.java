package it.semaforo.admin;

/** The clerks' pages under axe, at 1280 and 360 px, in English (see AdminAccessibility). */
class AdminAccessibilityEnglishTest extends AdminAccessibility {
    @Override
    String language() {
        return "en";
    }
}
