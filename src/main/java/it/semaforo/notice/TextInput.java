package it.semaforo.notice;

/** The text of an avviso; language: the BCP 47 tag of the language it is written in. */
public record TextInput(String title, String summary, String body, String language) {
}
