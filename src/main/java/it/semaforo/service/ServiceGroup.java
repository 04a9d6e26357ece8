package it.semaforo.service;

public record ServiceGroup(long id, String name, int position) {
}
