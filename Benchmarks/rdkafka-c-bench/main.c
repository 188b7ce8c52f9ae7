/*
 * Baseline for the Kafka layer benchmark: plain librdkafka in C, same settings as the Swift
 * layer (idempotent, acks=all, murmur2_random, linger 5 ms, payload copied).
 *
 *   rdkafka-c-bench BOOTSTRAP TOPIC COUNT SIZE
 *
 * Produces COUNT messages of SIZE bytes with 1,000 distinct keys, waits for every delivery
 * report, then consumes them back with a fresh consumer group. Prints two lines:
 *   produce <messages> <seconds>
 *   consume <messages> <seconds>
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long delivered = 0, failed = 0;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk; (void)opaque;
    if (m->err) failed++; else delivered++;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value) {
    char err[256];
    if (rd_kafka_conf_set(conf, key, value, err, sizeof err) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "%s: %s\n", key, err);
        exit(2);
    }
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s BOOTSTRAP TOPIC COUNT SIZE\n", argv[0]);
        return 2;
    }
    const char *bootstrap = argv[1], *topic = argv[2];
    long count = atol(argv[3]);
    size_t size = (size_t)atol(argv[4]);
    char err[256], key[32], group[64];
    char *payload = malloc(size);
    memset(payload, 'x', size);

    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "enable.idempotence", "true");
    set(conf, "acks", "all");
    set(conf, "partitioner", "murmur2_random");
    set(conf, "linger.ms", "5");
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!producer) { fprintf(stderr, "%s\n", err); return 1; }

    double start = now();
    for (long i = 0; i < count; i++) {
        int len = snprintf(key, sizeof key, "tenant/user-%ld", i % 1000);
        for (;;) {
            rd_kafka_resp_err_t e = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic),
                RD_KAFKA_V_KEY(key, (size_t)len), RD_KAFKA_V_VALUE(payload, size),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
            if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) { fprintf(stderr, "produce: %s\n", rd_kafka_err2str(e)); return 1; }
            rd_kafka_poll(producer, 1);
        }
        rd_kafka_poll(producer, 0);
    }
    rd_kafka_flush(producer, 60000);
    double produced = now() - start;
    printf("produce %ld %.6f\n", delivered, produced);
    rd_kafka_destroy(producer);

    conf = rd_kafka_conf_new();
    snprintf(group, sizeof group, "c-bench-%ld", (long)time(NULL));
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "group.id", group);
    set(conf, "auto.offset.reset", "earliest");
    set(conf, "enable.auto.offset.store", "false");
    rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    rd_kafka_poll_set_consumer(consumer);
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(consumer, topics);
    rd_kafka_topic_partition_list_destroy(topics);

    long consumed = 0;
    double first = 0, deadline = now() + 120;
    while (consumed < delivered && now() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 100);
        if (!m) continue;
        if (!m->err) {
            if (consumed == 0) first = now();
            consumed++;
        }
        rd_kafka_message_destroy(m);
    }
    printf("consume %ld %.6f\n", consumed, first > 0 ? now() - first : 0.0);
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    free(payload);
    return failed == 0 && consumed == delivered ? 0 : 1;
}
