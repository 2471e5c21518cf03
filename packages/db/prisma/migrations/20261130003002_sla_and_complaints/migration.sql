-- CreateEnum
CREATE TYPE "ComplaintReason" AS ENUM ('sla_breach', 'citizen_request', 'manual');

-- CreateEnum
CREATE TYPE "ComplaintStatus" AS ENUM ('received', 'verified', 'in_follow_up', 'resolved', 'rejected');

-- DropIndex
DROP INDEX "Ticket_firstRespondedAt_firstResponseDueAt_idx";

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "afterHoursNoticeFor" TIMESTAMP(3),
ADD COLUMN     "slaBreachedAt" TIMESTAMP(3),
ADD COLUMN     "slaWarnedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Complaint" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "reason" "ComplaintReason" NOT NULL,
    "status" "ComplaintStatus" NOT NULL DEFAULT 'received',
    "stageDueAt" TIMESTAMP(3),
    "escalatedAt" TIMESTAMP(3),
    "resolution" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Complaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplaintEvent" (
    "id" TEXT NOT NULL,
    "complaintId" TEXT NOT NULL,
    "fromStatus" "ComplaintStatus",
    "toStatus" "ComplaintStatus" NOT NULL,
    "actorId" TEXT,
    "note" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComplaintEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplaintCounter" (
    "year" INTEGER NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "ComplaintCounter_pkey" PRIMARY KEY ("year")
);

-- CreateIndex
CREATE UNIQUE INDEX "Complaint_number_key" ON "Complaint"("number");

-- CreateIndex
CREATE INDEX "Complaint_ticketId_idx" ON "Complaint"("ticketId");

-- CreateIndex
CREATE INDEX "Complaint_status_createdAt_id_idx" ON "Complaint"("status", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Complaint_escalatedAt_stageDueAt_idx" ON "Complaint"("escalatedAt", "stageDueAt");

-- CreateIndex
CREATE INDEX "ComplaintEvent_complaintId_at_idx" ON "ComplaintEvent"("complaintId", "at");

-- CreateIndex
CREATE INDEX "Ticket_firstRespondedAt_slaWarnedAt_slaWarnAt_idx" ON "Ticket"("firstRespondedAt", "slaWarnedAt", "slaWarnAt");

-- CreateIndex
CREATE INDEX "Ticket_firstRespondedAt_slaBreachedAt_firstResponseDueAt_idx" ON "Ticket"("firstRespondedAt", "slaBreachedAt", "firstResponseDueAt");

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplaintEvent" ADD CONSTRAINT "ComplaintEvent_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
