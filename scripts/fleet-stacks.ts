/**
 * Stacks for the fleet demo: call trees shaped like real services (a Django
 * shop behind gunicorn, a Celery worker, an Express API, a nightly batch
 * job), 20 to 40 frames deep, in the frame formats our samplers write
 * (`function(module)` for Python, `name (file:line)` for Node). Collections
 * are drawn from them with the benchmark's generators.
 */
import { generateCollection, seededRandom, zipfSampler } from '../bench/workload.js';

/** Frames root first; a chain is a run of frames that one call leads down. */
type Chain = readonly string[];

/** Where work attaches under a service's spine, and the chains of work that can follow. */
interface Branch {
  /** Frames from the spine's root to where this branch starts. */
  under: Chain;
  frames: Chain;
  /** Each tail is followed to every depth: a sample can land anywhere along it. */
  tails: readonly Chain[];
}

export interface ServiceModel {
  name: string;
  /** Samples per second at full load. */
  samplesPerSecond: number;
  vocabulary: string[];
  /** Stacks that appear only once the regression has landed; empty for services without one. */
  regression: string[];
}

const py = (module: string, ...functions: string[]): string[] => functions.map((name) => `${name}(${module})`);

// ---- Python: the pieces many services share --------------------------------

const ORM: Chain = [
  '__iter__(django.db.models.query)',
  '_fetch_all(django.db.models.query)',
  '__iter__(django.db.models.query)',
  'execute_sql(django.db.models.sql.compiler)',
  'execute(django.db.backends.utils)',
  '_execute_with_wrappers(django.db.backends.utils)',
  '_execute(django.db.backends.utils)',
  'execute(psycopg.cursor)',
  'wait(psycopg.waiting)',
  'select(selectors)',
];
const ORM_ROW_BUILD: Chain = [
  '__iter__(django.db.models.query)',
  '_fetch_all(django.db.models.query)',
  '__iter__(django.db.models.query)',
  'from_db(django.db.models.base)',
  '__init__(django.db.models.base)',
  'send(django.dispatch.dispatcher)',
];
const TEMPLATE: Chain = [
  'render(django.shortcuts)',
  'render_to_string(django.template.loader)',
  'render(django.template.backends.django)',
  'render(django.template.base)',
  '_render(django.template.base)',
  'render(django.template.base)',
  'render_annotated(django.template.base)',
  'render(django.template.defaulttags)',
  'render_annotated(django.template.base)',
  'resolve(django.template.base)',
];
const SERIALIZER: Chain = [
  'data(rest_framework.serializers)',
  'to_representation(rest_framework.serializers)',
  '<listcomp>(rest_framework.serializers)',
  'to_representation(rest_framework.serializers)',
  'to_representation(rest_framework.fields)',
  'get_attribute(rest_framework.fields)',
  '__get__(django.db.models.fields.related_descriptors)',
  'get_object(django.db.models.fields.related_descriptors)',
  'get(django.db.models.query)',
  '__len__(django.db.models.query)',
];
const JSON_RENDER: Chain = [
  'finalize_response(rest_framework.views)',
  'rendered_content(django.template.response)',
  'render(rest_framework.renderers)',
  'dumps(json)',
  'encode(json.encoder)',
  'iterencode(json.encoder)',
  'default(rest_framework.utils.encoders)',
];
const CACHE: Chain = [
  'get(django.core.cache.backends.redis)',
  'get(django.core.cache.backends.redis)',
  'get(redis.commands.core)',
  'execute_command(redis.client)',
  'parse_response(redis.client)',
  'read_response(redis.connection)',
  '_read_from_socket(redis._parsers.socket)',
];
const LOGGING: Chain = py('logging', 'info', '_log', 'handle', 'callHandlers', 'emit', 'format', 'formatTime');
const HTTP_CLIENT: Chain = [
  'request(requests.sessions)',
  'send(requests.sessions)',
  'send(requests.adapters)',
  'urlopen(urllib3.connectionpool)',
  '_make_request(urllib3.connectionpool)',
  'getresponse(http.client)',
  'begin(http.client)',
  '_read_status(http.client)',
  'readinto(socket)',
];
const ELASTICSEARCH: Chain = [
  'search(shop.search)',
  'search(elasticsearch._sync.client)',
  'perform_request(elasticsearch._sync.client._base)',
  'perform_request(elastic_transport._transport)',
  'perform_request(elastic_transport._node._http_urllib3)',
  'urlopen(urllib3.connectionpool)',
  '_make_request(urllib3.connectionpool)',
  'getresponse(http.client)',
  'readinto(socket)',
];
const STRIPE: Chain = [
  'create(stripe.api_resources.abstract.createable_api_resource)',
  '_static_request(stripe.api_resources.abstract.api_resource)',
  'request(stripe.api_requestor)',
  'request_raw(stripe.api_requestor)',
  'request_with_retries(stripe.http_client)',
  ...HTTP_CLIENT,
];

// ---- The Django shop behind gunicorn ------------------------------------------

const GUNICORN: Chain = [
  '<module>(__main__)',
  ...py('gunicorn.app.wsgiapp', 'run'),
  ...py('gunicorn.app.base', 'run'),
  ...py('gunicorn.arbiter', 'run', 'spawn_worker'),
  ...py('gunicorn.workers.base', 'init_process'),
  ...py('gunicorn.workers.sync', 'run', 'run_for_one', 'accept', 'handle', 'handle_request'),
  '__call__(django.core.handlers.wsgi)',
  'get_response(django.core.handlers.base)',
];
const MIDDLEWARE = ['security', 'sessions', 'common', 'csrf', 'auth'].flatMap(() => [
  'inner(django.core.handlers.exception)',
  '__call__(django.utils.deprecation)',
]);
/** Down to the view's dispatch: 28 frames. */
const DJANGO_VIEW: Chain = [
  ...GUNICORN,
  ...MIDDLEWARE,
  'inner(django.core.handlers.exception)',
  '_get_response(django.core.handlers.base)',
  '_view_wrapper(django.views.decorators.csrf)',
  'view(django.views.generic.base)',
  'dispatch(django.views.generic.base)',
];
/** Where the session and auth middleware do their own work. */
const SESSION_MIDDLEWARE = GUNICORN.length + 4;
const AUTH_MIDDLEWARE = GUNICORN.length + 10;

const DJANGO_BRANCHES: Branch[] = [
  { under: DJANGO_VIEW, frames: py('shop.views.orders', 'get', 'list'), tails: [ORM, [...SERIALIZER, ...ORM], JSON_RENDER, CACHE] },
  { under: DJANGO_VIEW, frames: py('shop.views.products', 'get', 'get_context_data'), tails: [TEMPLATE, ORM, ORM_ROW_BUILD, CACHE] },
  { under: DJANGO_VIEW, frames: py('shop.views.cart', 'post', 'add_item'), tails: [ORM, CACHE, LOGGING] },
  { under: DJANGO_VIEW, frames: py('shop.views.search', 'get'), tails: [ELASTICSEARCH, TEMPLATE] },
  { under: DJANGO_VIEW, frames: py('shop.views.health', 'get'), tails: [CACHE] },
  {
    under: GUNICORN.concat(MIDDLEWARE).slice(0, SESSION_MIDDLEWARE),
    frames: ['process_response(django.contrib.sessions.middleware)', 'save(django.contrib.sessions.backends.db)'],
    tails: [ORM],
  },
  {
    under: GUNICORN.concat(MIDDLEWARE).slice(0, AUTH_MIDDLEWARE),
    frames: ['<lambda>(django.contrib.auth.middleware)', 'get_user(django.contrib.auth.middleware)', 'get_user(django.contrib.auth)'],
    tails: [ORM, CACHE],
  },
];

/** What lands halfway through the week: every order copied deeply before it is serialized. */
const DEEPCOPY_REGRESSION: Branch[] = [
  {
    under: DJANGO_VIEW,
    frames: [...py('shop.views.orders', 'get', 'list'), 'serialize_orders(shop.serializers)', 'snapshot(shop.serializers)'],
    tails: [[...py('copy', 'deepcopy', '_deepcopy_dict', 'deepcopy', '_reconstruct', 'deepcopy', '_deepcopy_dict', 'deepcopy'), '__deepcopy__(django.db.models.base)']],
  },
];

// ---- A Celery worker ---------------------------------------------------------

const CELERY_TASK: Chain = [
  '<module>(__main__)',
  ...py('celery.__main__', 'main'),
  ...py('celery.bin.celery', 'main'),
  ...py('click.core', '__call__', 'main', 'invoke', 'invoke'),
  ...py('click.decorators', 'new_func'),
  ...py('celery.bin.worker', 'worker'),
  ...py('celery.worker.worker', 'start'),
  ...py('celery.bootsteps', 'start'),
  ...py('celery.worker.consumer.consumer', 'start'),
  ...py('celery.worker.loops', 'asynloop'),
  ...py('kombu.asynchronous.hub', 'create_loop'),
  ...py('celery.concurrency.asynpool', 'on_result_readable'),
  ...py('celery.app.trace', 'fast_trace_task', 'trace_task'),
  ...py('celery.app.task', '__call__'),
  ...py('celery.app.autoretry', 'run'),
];
const CELERY_BRANCHES: Branch[] = [
  { under: CELERY_TASK, frames: py('billing.tasks', 'charge_invoice'), tails: [STRIPE, ORM, LOGGING] },
  { under: CELERY_TASK, frames: py('billing.tasks', 'sync_ledger', 'reconcile'), tails: [ORM, ORM_ROW_BUILD, CACHE] },
  { under: CELERY_TASK, frames: py('billing.tasks', 'send_receipt'), tails: [TEMPLATE, HTTP_CLIENT] },
];

// ---- A nightly batch job that only pushes ---------------------------------------

const BATCH_RUNNER: Chain = [
  '<module>(__main__)',
  ...py('click.core', '__call__', 'main', 'invoke', 'invoke'),
  ...py('reports.nightly', 'main', 'run_all'),
  ...py('reports.runner', 'run', '_run_one'),
  ...py('reports.retry', 'wrapper'),
  ...py('reports.metrics', 'timed'),
  ...py('reports.runner', 'build'),
  ...py('reports.builders', 'revenue_report'),
];
const BATCH_BRANCHES: Branch[] = [
  {
    under: BATCH_RUNNER,
    frames: py('reports.builders', 'load_frame'),
    tails: [[
      ...py('pandas.io.sql', 'read_sql', 'read_query', '_wrap_result'),
      ...py('pandas.core.frame', 'from_records'),
      ...py('pandas.core.internals.construction', 'to_arrays', '_list_to_arrays'),
      ...py('pandas._libs.lib', 'to_object_array_tuples'),
    ]],
  },
  {
    under: BATCH_RUNNER,
    frames: py('reports.builders', 'aggregate'),
    tails: [py('pandas.core.groupby.generic', 'aggregate', '_aggregate_named', 'apply', 'apply_standard', 'agg_series', '_aggregate_series_pure_python', 'sum', 'nansum', '_maybe_null_out', '_wrapreduction', 'reduce')],
  },
  {
    under: BATCH_RUNNER,
    frames: py('reports.builders', 'render_pdf'),
    tails: [py('weasyprint', 'write_pdf', 'render', 'layout', 'layout_document', 'make_page', 'layout_box', 'block_container_layout', 'block_level_layout', 'inline_layout', 'split_inline_box', 'split_text_box', 'get_log_attrs')],
  },
];

// ---- An Express API on Node -----------------------------------------------------

const node = (name: string, file: string, line: number) => `${name} (${file}:${line})`;
const layer = (middleware: string) => [
  node('next', 'node_modules/router/index.js', 295),
  node('handle', 'node_modules/router/lib/layer.js', 152),
  middleware,
];
const EXPRESS: Chain = [
  node('parserOnHeadersComplete', 'node:_http_common', 117),
  node('parserOnIncoming', 'node:_http_server', 1118),
  node('emit', 'node:events', 519),
  node('app', 'node_modules/express/lib/express.js', 41),
  node('handle', 'node_modules/express/lib/application.js', 177),
  node('handle', 'node_modules/router/index.js', 136),
  ...layer(node('jsonParser', 'node_modules/body-parser/lib/types/json.js', 88)),
  ...layer(node('requestLogger', 'src/middleware/logging.js', 14)),
  ...layer(node('authenticate', 'src/middleware/auth.js', 27)),
  ...layer(node('dispatch', 'node_modules/router/lib/route.js', 117)),
  node('next', 'node_modules/router/lib/route.js', 149),
  node('handle', 'node_modules/router/lib/layer.js', 152),
];
const JWT: Chain = [
  node('verify', 'node_modules/jsonwebtoken/verify.js', 58),
  node('jwsVerify', 'node_modules/jws/lib/verify-stream.js', 54),
  node('verify', 'node_modules/jwa/index.js', 163),
  node('verify', 'node:internal/crypto/sig', 177),
];
const VALIDATION: Chain = [
  node('parse', 'node_modules/zod/lib/types.js', 192),
  node('safeParse', 'node_modules/zod/lib/types.js', 211),
  node('_parse', 'node_modules/zod/lib/types.js', 2340),
  node('_parse', 'node_modules/zod/lib/types.js', 1985),
  node('_parse', 'node_modules/zod/lib/types.js', 2340),
  node('_parse', 'node_modules/zod/lib/types.js', 658),
];
const RESPONSE_JSON: Chain = [
  node('json', 'node_modules/express/lib/response.js', 250),
  node('stringify', 'node_modules/express/lib/response.js', 1035),
  'JSON.stringify',
];
const PRICING: Chain = [
  node('computeTotals', 'src/pricing/totals.js', 77),
  node('applyDiscounts', 'src/pricing/discounts.js', 41),
  node('matchRules', 'src/pricing/rules.js', 18),
  node('roundMoney', 'src/pricing/money.js', 12),
];
const POSTGRES: Chain = [
  node('query', 'node_modules/pg/lib/client.js', 526),
  node('_pulseQueryQueue', 'node_modules/pg/lib/client.js', 485),
  node('submit', 'node_modules/pg/lib/query.js', 155),
  node('sendQueryMessage', 'node_modules/pg/lib/connection.js', 148),
  node('writeGeneric', 'node:internal/stream_base_commons', 151),
];
const EXPRESS_BRANCHES: Branch[] = [
  { under: EXPRESS, frames: [node('listOrders', 'src/routes/orders.js', 19)], tails: [POSTGRES, VALIDATION, RESPONSE_JSON] },
  { under: EXPRESS, frames: [node('createCheckout', 'src/routes/checkout.js', 58)], tails: [VALIDATION, PRICING, RESPONSE_JSON] },
  { under: EXPRESS, frames: [node('quoteShipping', 'src/routes/shipping.js', 21)], tails: [PRICING, RESPONSE_JSON] },
  { under: EXPRESS, frames: [node('getCart', 'src/routes/cart.js', 33)], tails: [RESPONSE_JSON] },
  { under: EXPRESS.slice(0, 15), frames: [node('verifyToken', 'src/middleware/auth.js', 40)], tails: [JWT] },
];

/** Deeper stacks are cut here, as a sampler with a depth limit would. */
export const MAX_DEPTH = 40;
/** Shallower ones (a sample caught in a middleware) are left out: the demo is about deep stacks. */
export const MIN_DEPTH = 20;

/** Every stack the branches reach, MIN_DEPTH to MAX_DEPTH deep: each branch followed into each tail, to every depth. */
function stacksOf(branches: readonly Branch[]): string[] {
  const stacks = new Set<string>();
  for (const branch of branches) {
    const base = [...branch.under, ...branch.frames];
    if (base.length >= MIN_DEPTH) stacks.add(base.join(';'));
    for (const tail of branch.tails) {
      for (let depth = 1; depth <= tail.length; depth++) {
        const frames = [...base, ...tail.slice(0, depth)].slice(0, MAX_DEPTH);
        if (frames.length >= MIN_DEPTH) stacks.add(frames.join(';'));
      }
    }
  }
  return [...stacks];
}

/** The same stacks in an order of its own per service, so each has its own hot paths. */
function shuffled(stacks: string[], seed: number): string[] {
  const random = seededRandom(seed);
  for (let i = stacks.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [stacks[i], stacks[j]] = [stacks[j], stacks[i]];
  }
  return stacks;
}

export type ServiceKind = 'django' | 'celery' | 'express' | 'batch';

const BRANCHES: Record<ServiceKind, readonly Branch[]> = {
  django: DJANGO_BRANCHES,
  celery: CELERY_BRANCHES,
  express: EXPRESS_BRANCHES,
  batch: BATCH_BRANCHES,
};

export function serviceModel(name: string, kind: ServiceKind, seed: number, samplesPerSecond: number): ServiceModel {
  return {
    name,
    samplesPerSecond,
    vocabulary: shuffled(stacksOf(BRANCHES[kind]), seed),
    regression: kind === 'django' ? stacksOf(DEEPCOPY_REGRESSION) : [],
  };
}

/** Share of a regressed service's samples spent in the regression. */
export const REGRESSION_SHARE = 0.3;

/** Draws a service's collections: Zipf over its vocabulary, plus the regression once it has landed. */
export class CollectionSource {
  private readonly random: () => number;
  private readonly drawBase: () => number;
  private readonly drawRegression: () => number;
  private readonly stacks: string[];

  constructor(private readonly model: ServiceModel, seed: number) {
    this.random = seededRandom(seed);
    this.drawBase = zipfSampler(model.vocabulary.length, 1.1, this.random);
    this.drawRegression = zipfSampler(Math.max(1, model.regression.length), 0.8, this.random);
    this.stacks = [...model.vocabulary, ...model.regression];
  }

  /** `samples` samples; with `regressed`, about REGRESSION_SHARE of them in the regression's stacks. */
  collection(samples: number, regressed: boolean): Map<string, number> {
    const base = this.model.vocabulary.length;
    const withRegression = regressed && this.model.regression.length > 0;
    const draw = withRegression
      ? () => (this.random() < REGRESSION_SHARE ? base + this.drawRegression() : this.drawBase())
      : this.drawBase;
    return generateCollection(this.stacks, draw, samples);
  }
}

/** Traffic over a day in UTC: quiet at night, busiest mid-afternoon; between 0.25 and 1. */
export function dailyLoad(unixSeconds: number): number {
  const hour = (unixSeconds % 86400) / 3600;
  return 0.25 + 0.75 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 3)) / 24));
}
