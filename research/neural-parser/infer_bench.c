// Hand-written single-thread inference cost of a biaffine parser, as a Rust
// port would do it: random weights (speed does not depend on them), f32,
// plain loops the compiler vectorises. Measures tokens/s of
//   embedding sums -> L x BiLSTM(h) -> arc/label MLPs -> biaffine arc scores
//   -> greedy head argmax -> labels for the chosen head (+ optional tag heads)
// over sentences of N words. Featurisation (hash lookups) is not included.
//
// gcc -O3 -march=x86-64-v3 -o /tmp/nn/infer_bench infer_bench.c -lm
// /tmp/nn/infer_bench EMB TAGEMB LAYERS HIDDEN ARC LAB LABELS TAGS N LABSCORER(0=lin,1=biaffine) [SENTENCES]
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static float *rnd(size_t n) {
    float *p = aligned_alloc(64, ((n * 4 + 63) / 64) * 64);
    for (size_t i = 0; i < n; i++) p[i] = ((float)rand() / RAND_MAX - 0.5f) * 0.1f;
    return p;
}

// y[o] = b[o] + sum_i W[o*in+i] x[i]
static void matvec(const float *W, const float *b, const float *x, float *y, int out, int in) {
    for (int o = 0; o < out; o++) {
        const float *w = W + (size_t)o * in;
        float s = b ? b[o] : 0.f;
        for (int i = 0; i < in; i++) s += w[i] * x[i];
        y[o] = s;
    }
}

static float sigm(float x) { return 1.f / (1.f + expf(-x)); }

typedef struct {
    int in, h;
    float *Wx, *Wh, *b;  // [4h x in], [4h x h], [4h]
} Dir;

static void lstm_dir(const Dir *d, const float *X, int n, int stride_in, float *H, int stride_out, int reverse,
                     float *xp, float *g) {
    // input projections for all tokens (a matrix product), then the recurrence
    for (int t = 0; t < n; t++) matvec(d->Wx, d->b, X + (size_t)t * stride_in, xp + (size_t)t * 4 * d->h, 4 * d->h, d->in);
    float hprev[1024] = {0}, c[1024] = {0};
    for (int k = 0; k < n; k++) {
        int t = reverse ? n - 1 - k : k;
        matvec(d->Wh, NULL, hprev, g, 4 * d->h, d->h);
        float *p = xp + (size_t)t * 4 * d->h;
        for (int j = 0; j < d->h; j++) {
            float i_ = sigm(g[j] + p[j]), f_ = sigm(g[d->h + j] + p[d->h + j]);
            float gg = tanhf(g[2 * d->h + j] + p[2 * d->h + j]), o_ = sigm(g[3 * d->h + j] + p[3 * d->h + j]);
            c[j] = f_ * c[j] + i_ * gg;
            hprev[j] = o_ * tanhf(c[j]);
            H[(size_t)t * stride_out + j] = hprev[j];
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 11) {
        fprintf(stderr, "usage: EMB TAGEMB LAYERS HIDDEN ARC LAB LABELS TAGS N LABSCORER\n");
        return 1;
    }
    int E = atoi(argv[1]), TE = atoi(argv[2]), L = atoi(argv[3]), Hd = atoi(argv[4]), A = atoi(argv[5]),
        B = atoi(argv[6]), NL = atoi(argv[7]), NT = atoi(argv[8]), N = atoi(argv[9]), LS = atoi(argv[10]);
    int n = N + 1;  // + ROOT
    int IN = E + TE, H2 = 2 * Hd;
    int nfeat = 11 + (TE ? 2 : 0);
    int V = 50000;
    float *emb = rnd((size_t)V * E), *temb = TE ? rnd(200 * TE) : NULL;
    Dir dirs[8][2];
    for (int l = 0; l < L; l++)
        for (int r = 0; r < 2; r++) {
            Dir *d = &dirs[l][r];
            d->in = l == 0 ? IN : H2;
            d->h = Hd;
            d->Wx = rnd((size_t)4 * Hd * d->in);
            d->Wh = rnd((size_t)4 * Hd * Hd);
            d->b = rnd(4 * Hd);
        }
    float *Wad = rnd(A * H2), *Wah = rnd(A * H2), *bad = rnd(A), *bah = rnd(A);
    float *Wld = rnd(B * H2), *Wlh = rnd(B * H2), *bld = rnd(B), *blh = rnd(B);
    float *U = rnd(A * A), *uh = rnd(A);
    float *Ul = LS ? rnd((size_t)NL * B * B) : NULL;
    float *Wl = rnd((size_t)NL * 3 * B), *bl = rnd(NL);
    float *Wt = NT ? rnd((size_t)NT * H2) : NULL;
    float *X = rnd((size_t)n * IN), *Hbuf[2] = {rnd((size_t)n * H2), rnd((size_t)n * H2)};
    float *xp = rnd((size_t)n * 4 * Hd), *g = rnd(4 * Hd);
    float *ad = rnd((size_t)n * A), *ah = rnd((size_t)n * A), *ld = rnd((size_t)n * B), *lh = rnd((size_t)n * B);
    float *tmp = rnd(A > B ? A : B), *sc = rnd(n), *ls = rnd(NL > NT ? NL : NT), *cat = rnd(3 * B);
    int *ids = malloc(sizeof(int) * n * nfeat);
    for (int i = 0; i < n * nfeat; i++) ids[i] = rand() % V;
    int sents = argc > 11 ? atoi(argv[11]) : 20000;
    volatile float sink = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (int s = 0; s < sents; s++) {
        // embeddings: sum of nfeat rows
        for (int t = 0; t < n; t++) {
            float *x = X + (size_t)t * IN;
            memset(x, 0, sizeof(float) * IN);
            for (int f = 0; f < 11; f++) {
                const float *e = emb + (size_t)ids[t * nfeat + f] * E;
                for (int j = 0; j < E; j++) x[j] += e[j];
            }
            for (int f = 11; f < nfeat; f++) {
                const float *e = temb + (size_t)(ids[t * nfeat + f] % 200) * TE;
                for (int j = 0; j < TE; j++) x[E + j] += e[j];
            }
        }
        const float *in = X;
        int stride = IN;
        float *out = NULL;
        for (int l = 0; l < L; l++) {
            out = Hbuf[l & 1];
            lstm_dir(&dirs[l][0], in, n, stride, out, H2, 0, xp, g);
            lstm_dir(&dirs[l][1], in, n, stride, out + Hd, H2, 1, xp, g);
            in = out;
            stride = H2;
        }
        for (int t = 0; t < n; t++) {
            const float *h = out + (size_t)t * H2;
            matvec(Wad, bad, h, ad + (size_t)t * A, A, H2);
            matvec(Wah, bah, h, ah + (size_t)t * A, A, H2);
            matvec(Wld, bld, h, ld + (size_t)t * B, B, H2);
            matvec(Wlh, blh, h, lh + (size_t)t * B, B, H2);
            for (int j = 0; j < A; j++) ad[t * A + j] = ad[t * A + j] > 0 ? ad[t * A + j] : 0.1f * ad[t * A + j];
            for (int j = 0; j < A; j++) ah[t * A + j] = ah[t * A + j] > 0 ? ah[t * A + j] : 0.1f * ah[t * A + j];
            if (NT) {
                matvec(Wt, NULL, h, ls, NT, H2);
                sink += ls[0];
            }
        }
        for (int i = 1; i < n; i++) {
            // dep_i U  then dot with each head (+ head bias)
            for (int e = 0; e < A; e++) tmp[e] = uh[e];
            for (int d = 0; d < A; d++) {
                float v = ad[(size_t)i * A + d];
                const float *u = U + (size_t)d * A;
                for (int e = 0; e < A; e++) tmp[e] += v * u[e];
            }
            int best = 0;
            float bs = -1e30f;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                const float *hh = ah + (size_t)j * A;
                float s = 0;
                for (int e = 0; e < A; e++) s += tmp[e] * hh[e];
                if (s > bs) bs = s, best = j;
            }
            const float *dv = ld + (size_t)i * B, *hv = lh + (size_t)best * B;
            if (LS) {
                for (int l = 0; l < NL; l++) {
                    const float *u = Ul + (size_t)l * B * B;
                    float s = 0;
                    for (int d = 0; d < B; d++) {
                        float acc = 0;
                        for (int e = 0; e < B; e++) acc += u[d * B + e] * hv[e];
                        s += dv[d] * acc;
                    }
                    ls[l] = s;
                }
            } else {
                for (int j = 0; j < B; j++) cat[j] = dv[j], cat[B + j] = hv[j], cat[2 * B + j] = dv[j] * hv[j];
                matvec(Wl, bl, cat, ls, NL, 3 * B);
            }
            sink += ls[0];
        }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double sec = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    printf("{\"words_per_s\": %.0f, \"us_per_word\": %.3f, \"sentence_len\": %d}\n", sents * (double)N / sec,
           sec * 1e6 / (sents * (double)N), N);
    return sink == 12345.f;
}
