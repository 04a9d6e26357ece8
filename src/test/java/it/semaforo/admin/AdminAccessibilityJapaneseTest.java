package it.semaforo.admin;

/** The clerks' pages under axe, at 1280 and 360 px, in Japanese (see AdminAccessibility). */
class AdminAccessibilityJapaneseTest extends AdminAccessibility {
    @Override
    String language() {
        return "ja";
    }
}
