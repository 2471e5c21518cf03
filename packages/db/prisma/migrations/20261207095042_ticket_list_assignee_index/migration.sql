-- CreateIndex
CREATE INDEX "Ticket_assigneeId_lastMessageAt_id_idx" ON "Ticket"("assigneeId", "lastMessageAt" DESC, "id" DESC);
