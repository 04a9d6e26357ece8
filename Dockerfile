# Build: Maven with JDK 17. Run: a JRE, as a non-root user, data in a volume.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY config config
COPY static static
# the class-data archive is made below, for the runtime image's own JRE
RUN mvn -B -q package -DskipTests -Dcds.skip

FROM eclipse-temurin:17-jre
RUN groupadd --system semaforo && useradd --system --gid semaforo --home-dir /app semaforo \
    && mkdir -p /app/data /app/config && chown -R semaforo:semaforo /app
WORKDIR /app
COPY --from=build /src/target/semaforo.jar /app/semaforo.jar
COPY config/semaforo.properties /app/config/semaforo.properties
COPY bench/cds.sh /tmp/cds.sh
# A class-data archive from a training run (the server answers a page of each kind once):
# start to first answer drops by about a third. Tied to this JDK and jar, so made here.
RUN bash /tmp/cds.sh /app/semaforo.jar /app/semaforo.jsa && rm /tmp/cds.sh
USER semaforo
ENV SEMAFORO_DATA_DIR=/app/data
VOLUME ["/app/data"]
EXPOSE 7070
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["java", "-jar", "/app/semaforo.jar", "health"]
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/semaforo.jsa", "-Xmx256m", "-jar", "/app/semaforo.jar"]
CMD ["serve"]
