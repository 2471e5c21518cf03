-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "failedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Message_deliveryStatus_channel_idx" ON "Message"("deliveryStatus", "channel");
