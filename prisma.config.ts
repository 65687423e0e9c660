import { defineConfig } from 'prisma/config';

// The URL is only read by Prisma CLI commands that talk to a database
// (migrate, studio). The service itself connects through a driver adapter.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/counterpoint' },
});
