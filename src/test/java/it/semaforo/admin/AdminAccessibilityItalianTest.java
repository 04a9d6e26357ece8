package it.semaforo.admin;

/** The clerks' pages under axe, at 1280 and 360 px, in Italian (see AdminAccessibility). */
class AdminAccessibilityItalianTest extends AdminAccessibility {
    @Override
    String language() {
        return "it";
    }
}
