import { HTTP_STATUS } from './errors.ts';
import {
  AnswerSchema,
  ClauseSchema,
  DocumentListSchema,
  DocumentSchema,
  FeedbackListSchema,
  HealthSchema,
  IngestSummarySchema,
  jsonSchema,
  PushSummarySchema,
  SubscribersSchema,
  UnansweredListSchema,
} from './schemas.ts';

/** The OpenAPI 3.1 description of the HTTP API, served at /api/openapi.json. A test checks it lists every API route. */

const error = { $ref: '#/components/responses/Error' };
const admin = [{ bearer: [] }, { cookie: [] }];
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const obj = { type: 'object' };
const common = { 400: error, 401: error, 429: error };

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'PolicyBot API',
    version: '1',
    description:
      'Search the policy corpus, read documents and clauses with citations, ingest bulletins, review unanswered questions and feedback, run pushes. Every route but /api/ask, /healthz and this description needs the admin token (Authorization: Bearer POLICYBOT_ADMIN_TOKEN, or the console session cookie plus X-CSRF-Token). Errors are {"error":{"code","message"}} with stable codes.',
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'POLICYBOT_ADMIN_TOKEN' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'pb_session', description: 'set by POST /login; POSTs also need the X-CSRF-Token header' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: {
                type: 'string',
                enum: [...Object.keys(HTTP_STATUS), 'INTERNAL'],
                description: 'stable code (the HTTP status follows from it); any other project error code comes with status 500',
              },
              message: { type: 'string' },
            },
          },
        },
      },
      Answer: jsonSchema(AnswerSchema),
      Health: jsonSchema(HealthSchema),
      DocumentList: jsonSchema(DocumentListSchema),
      Document: jsonSchema(DocumentSchema),
      Clause: jsonSchema(ClauseSchema),
      IngestSummary: jsonSchema(IngestSummarySchema),
      UnansweredList: jsonSchema(UnansweredListSchema),
      FeedbackList: jsonSchema(FeedbackListSchema),
      Subscribers: jsonSchema(SubscribersSchema),
      PushSummary: jsonSchema(PushSummarySchema),
    },
    responses: { Error: { description: 'error', ...json({ $ref: '#/components/schemas/Error' }) } },
  },
  paths: {
    '/healthz': { get: { summary: 'liveness and corpus size', responses: { 200: { description: 'ok', ...json({ $ref: '#/components/schemas/Health' }) } } } },
    '/api/openapi.json': { get: { summary: 'this description', responses: { 200: { description: 'OpenAPI 3.1', ...json(obj) } } } },
    '/api/ask': {
      get: {
        summary: 'answer a question with cited clauses',
        parameters: [
          {
            name: 'q',
            in: 'query',
            required: true,
            schema: { type: 'string', minLength: 1, maxLength: 2000 },
            description: 'at most POLICYBOT_MAX_QUESTION_LENGTH characters',
          },
          { name: 'top', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50, default: 5 } },
        ],
        responses: { 200: { description: 'answer', ...json({ $ref: '#/components/schemas/Answer' }) }, 400: error, 429: error },
      },
    },
    '/api/documents': {
      get: {
        summary: 'every document, newest issue first',
        security: admin,
        responses: { 200: { description: 'documents', ...json({ $ref: '#/components/schemas/DocumentList' }) }, ...common },
      },
    },
    '/api/documents/{id}': {
      get: {
        summary: "a document's outline and clause ids",
        security: admin,
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string' },
            description:
              "the document's key (URL-encoded): its 文号, e.g. 川办发〔2013〕52号, or for a law or regulation without one its title (with @date of the latest revision when dated); /api/documents lists every key",
          },
        ],
        responses: { 200: { description: 'document', ...json({ $ref: '#/components/schemas/Document' }) }, 404: error, ...common },
      },
    },
    '/api/clauses/{id}': {
      get: {
        summary: 'one clause with its citation and the text to paste',
        security: admin,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'clause id from /api/documents/{id} (URL-encoded)' }],
        responses: { 200: { description: 'clause', ...json({ $ref: '#/components/schemas/Clause' }) }, 404: error, ...common },
      },
    },
    '/api/ingest': {
      post: {
        summary: 'upload a bulletin or document (markdown, text, PDF or web page); same parsing and clash rules as `policybot ingest`',
        security: admin,
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: {
                  file: {
                    type: 'string',
                    format: 'binary',
                    description: 'read by content: a PDF (%PDF- header) or web page is converted and stored as markdown',
                  },
                  replace: {
                    type: 'string',
                    enum: ['true', 'false', '1', '0', 'on'],
                    description:
                      'true: replace a stored file with the same 文号, title or issue (`ingest --replace`); else such a file is refused with 409 INGEST_CLASH',
                  },
                },
              },
            },
          },
        },
        responses: {
          200: { description: 'unchanged or replaced', ...json({ $ref: '#/components/schemas/IngestSummary' }) },
          201: { description: 'added', ...json({ $ref: '#/components/schemas/IngestSummary' }) },
          403: error,
          409: error,
          413: error,
          ...common,
        },
      },
    },
    '/api/unanswered': {
      get: {
        summary: 'questions nobody could answer, most frequent first',
        security: admin,
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } }],
        responses: { 200: { description: 'questions', ...json({ $ref: '#/components/schemas/UnansweredList' }) }, ...common },
      },
    },
    '/api/feedback': {
      get: {
        summary: 'feedback on answers, newest first',
        security: admin,
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } },
          { name: 'useful', in: 'query', schema: { type: 'string', enum: ['true', 'false'] }, description: 'false: only 👎' },
        ],
        responses: { 200: { description: 'feedback', ...json({ $ref: '#/components/schemas/FeedbackList' }) }, ...common },
      },
    },
    '/api/subscribers': {
      get: {
        summary: 'subscriber counts per channel and topic, and push history',
        security: admin,
        responses: { 200: { description: 'counts', ...json({ $ref: '#/components/schemas/Subscribers' }) }, ...common },
      },
    },
    '/api/push': {
      post: {
        summary: 'run one push cycle now (dryRun: preview only)',
        security: admin,
        requestBody: {
          required: true,
          ...json({ type: 'object', required: ['dryRun'], properties: { dryRun: { type: 'boolean' } }, additionalProperties: false }),
        },
        responses: { 200: { description: 'what the cycle did', ...json({ $ref: '#/components/schemas/PushSummary' }) }, 403: error, 409: error, ...common },
      },
    },
  },
} as const;
